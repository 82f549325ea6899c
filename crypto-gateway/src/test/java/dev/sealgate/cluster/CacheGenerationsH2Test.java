package dev.sealgate.cluster;

import dev.sealgate.storage.DatabaseExtension;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

class CacheGenerationsH2Test implements CacheGenerationsContract {

    @RegisterExtension
    static final DatabaseExtension db = DatabaseExtension.h2();

    @Override
    public DataSource dataSource() {
        return db.dataSource();
    }
}
