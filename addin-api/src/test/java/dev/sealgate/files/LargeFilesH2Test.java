package dev.sealgate.files;

import dev.sealgate.storage.TestDatabase;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class LargeFilesH2Test implements LargeFilesContract {

    private static TestDatabase db;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startDatabase() {
        db = TestDatabase.h2();
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
    public Path directory() {
        return dir;
    }
}
