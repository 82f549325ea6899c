package dev.sealgate.flags;

import dev.sealgate.storage.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class FlagsStoragePostgresTest implements FlagsStorageContract {

    private static TestDatabase db;

    @BeforeAll
    static void startDatabase() {
        db = TestDatabase.postgres();
    }

    @AfterAll
    static void stopDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Override
    public DataSource dataSource() {
        return db.dataSource();
    }
}
