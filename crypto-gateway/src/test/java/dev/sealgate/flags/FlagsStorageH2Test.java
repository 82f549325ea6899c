package dev.sealgate.flags;

import dev.sealgate.storage.DatabaseExtension;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

class FlagsStorageH2Test implements FlagsStorageContract {

    @RegisterExtension
    static final DatabaseExtension db = DatabaseExtension.h2();

    @Override
    public DataSource dataSource() {
        return db.dataSource();
    }
}
