package dev.sealgate.certs;

import dev.sealgate.storage.DatabaseExtension;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

class CertificateStoreH2Test implements CertificateStoreContract {

    private static final MasterKey MASTER_KEY = MasterKey.random();

    @RegisterExtension
    static final DatabaseExtension db = DatabaseExtension.h2();

    @Override
    public DataSource dataSource() {
        return db.dataSource();
    }

    @Override
    public MasterKey masterKey() {
        return MASTER_KEY;
    }
}
