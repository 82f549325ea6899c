package dev.sealgate.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

class LocalFileStorageTest implements FileStorageContract {

    @TempDir
    Path dir;

    private LocalFileStorage storage;

    @BeforeEach
    void create() throws IOException {
        storage = new LocalFileStorage(dir.resolve("store"));
        Files.createDirectories(dir.resolve("spool"));
    }

    @Override
    public FileStorage storage() {
        return storage;
    }

    @Override
    public Path spoolDirectory() {
        return dir.resolve("spool");
    }
}
