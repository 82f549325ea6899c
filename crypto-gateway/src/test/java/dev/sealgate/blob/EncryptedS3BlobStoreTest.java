package dev.sealgate.blob;

import dev.sealgate.certs.MasterKey;
import dev.sealgate.testkit.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The S3 blob store under encryption at rest, against S3Proxy. */
class EncryptedS3BlobStoreTest implements BlobStoreContract {

    @TempDir
    static Path dir;

    private static S3ProxyServer s3;
    private static S3BlobStore raw;
    private static EncryptedBlobStore store;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start(dir.resolve("s3"));
        s3.createBucket("sealed");
        raw = new S3BlobStore(new S3BlobStore.Location(s3.endpoint(), S3ProxyServer.REGION, "sealed", "",
                S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, true), dir.resolve("staging"));
        store = new EncryptedBlobStore(raw, MasterKey.random());
    }

    @AfterAll
    static void stop() throws Exception {
        raw.close();
        s3.close();
    }

    @Override
    public BlobStore store() {
        return store;
    }

    @Override
    public byte[] storedBytes(String key) throws java.io.IOException {
        return Files.readAllBytes(s3.objectFile("sealed", key));
    }

    @Override
    public void replaceStoredBytes(String key, byte[] bytes) throws java.io.IOException {
        Files.write(s3.objectFile("sealed", key), bytes);
    }
}
