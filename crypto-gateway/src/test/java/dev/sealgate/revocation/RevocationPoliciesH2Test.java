package dev.sealgate.revocation;

import dev.sealgate.storage.DatabaseExtension;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

class RevocationPoliciesH2Test implements RevocationPoliciesContract {

    @RegisterExtension
    static final DatabaseExtension db = DatabaseExtension.h2();

    @Override
    public DataSource dataSource() {
        return db.dataSource();
    }
}
