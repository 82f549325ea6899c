package dev.sealgate.queue;

import dev.sealgate.storage.DatabaseExtension;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SpoolMigrationH2Test implements SpoolMigrationContract {

    @RegisterExtension
    static final DatabaseExtension db = DatabaseExtension.h2();

    @TempDir
    Path directory;

    @Override
    public DataSource dataSource() {
        return db.dataSource();
    }

    @Override
    public Path directory() {
        return directory;
    }
}
