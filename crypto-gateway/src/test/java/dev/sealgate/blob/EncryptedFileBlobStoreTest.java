package dev.sealgate.blob;

import dev.sealgate.certs.MasterKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The file-system blob store under encryption at rest. */
class EncryptedFileBlobStoreTest implements BlobStoreContract {

    @TempDir
    Path dir;

    private EncryptedBlobStore store;
    private FileBlobStore files;

    @Override
    public EncryptedBlobStore store() {
        if (store == null) {
            files = new FileBlobStore(dir.resolve("blobs"));
            store = new EncryptedBlobStore(files, MasterKey.random());
        }
        return store;
    }

    @Override
    public byte[] storedBytes(String key) throws java.io.IOException {
        store();
        return Files.readAllBytes(files.root().resolve(key));
    }

    @Override
    public void replaceStoredBytes(String key, byte[] bytes) throws java.io.IOException {
        store();
        Files.write(files.root().resolve(key), bytes);
    }
}
