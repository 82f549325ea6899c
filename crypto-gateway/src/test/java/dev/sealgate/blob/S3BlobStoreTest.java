package dev.sealgate.blob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.testkit.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The S3 blob store, without encryption, against S3Proxy (a real S3 API server) over plain HTTP. */
class S3BlobStoreTest implements BlobStoreContract {

    @TempDir
    static Path dir;

    private static S3ProxyServer s3;
    private static S3BlobStore store;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start(dir.resolve("s3"));
        s3.createBucket("blobs");
        store = new S3BlobStore(new S3BlobStore.Location(s3.endpoint(), S3ProxyServer.REGION, "blobs", "node/",
                S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, true), dir.resolve("staging"));
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        s3.close();
    }

    @Override
    public BlobStore store() {
        return store;
    }

    @Override
    public byte[] storedBytes(String key) throws java.io.IOException {
        return Files.readAllBytes(s3.objectFile("blobs", "node/" + key));
    }

    @Override
    public void replaceStoredBytes(String key, byte[] bytes) throws java.io.IOException {
        Files.write(s3.objectFile("blobs", "node/" + key), bytes);
    }

    @Test
    void shouldStoreTheExactBytesUnderThePrefixWithoutTransferFramingAndLeaveNoStagingFile() throws Exception {
        byte[] content = new byte[3 * S3BlobStore.IN_MEMORY + 5];
        new java.util.Random(9).nextBytes(content);

        store.put("spool/exact.eml", out -> out.write(content));

        assertThat(Files.readAllBytes(s3.objectFile("blobs", "node/spool/exact.eml"))).isEqualTo(content);
        try (var staged = Files.list(dir.resolve("staging"))) {
            assertThat(staged).isEmpty();
        }
    }
}
