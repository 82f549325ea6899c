package dev.sealgate.certprovider.local;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileLocalCaStoreTest implements LocalCaStoreContract {

    private static final char[] PASSWORD = "derived-from-master-key".toCharArray();

    @TempDir
    Path directory;

    private int stores;

    @Override
    public LocalCaStore emptyStore() {
        return new FileLocalCaStore(directory.resolve("ca-" + ++stores), PASSWORD);
    }

    @Override
    public LocalCaStore sameStateAs(LocalCaStore store) {
        return new FileLocalCaStore(((FileLocalCaStore) store).directory(), PASSWORD);
    }
}
