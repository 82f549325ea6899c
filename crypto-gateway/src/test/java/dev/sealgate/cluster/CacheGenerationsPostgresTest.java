package dev.sealgate.cluster;

import dev.sealgate.storage.DatabaseExtension;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

class CacheGenerationsPostgresTest implements CacheGenerationsContract {

    @RegisterExtension
    static final DatabaseExtension db = DatabaseExtension.postgres();

    @Override
    public DataSource dataSource() {
        return db.dataSource();
    }
}
