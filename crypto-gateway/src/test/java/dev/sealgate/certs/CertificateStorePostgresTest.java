package dev.sealgate.certs;

import dev.sealgate.storage.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class CertificateStorePostgresTest implements CertificateStoreContract {

    private static final MasterKey MASTER_KEY = MasterKey.random();
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

    @Override
    public MasterKey masterKey() {
        return MASTER_KEY;
    }
}
