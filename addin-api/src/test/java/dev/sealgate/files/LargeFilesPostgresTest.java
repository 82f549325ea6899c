package dev.sealgate.files;

import dev.sealgate.storage.DatabaseExtension;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class LargeFilesPostgresTest implements LargeFilesContract {

    @RegisterExtension
    static final DatabaseExtension db = DatabaseExtension.postgres();

    @TempDir
    static Path dir;

    @Override
    public DataSource dataSource() {
        return db.dataSource();
    }

    @Override
    public Path directory() {
        return dir;
    }
}
