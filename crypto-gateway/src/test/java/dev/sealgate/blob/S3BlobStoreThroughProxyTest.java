package dev.sealgate.blob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.net.OutboundProxy;
import dev.sealgate.net.Tinyproxy;
import dev.sealgate.testkit.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: the whole blob store contract with the S3 client going through the outbound proxy, a
 * real tinyproxy with Basic authentication in front of S3Proxy (loopback goes through the proxy:
 * no non-proxy host is configured).
 */
class S3BlobStoreThroughProxyTest implements BlobStoreContract {

    @TempDir
    static Path dir;

    private static Tinyproxy proxy;
    private static S3ProxyServer s3;
    private static S3BlobStore store;

    @BeforeAll
    static void start() throws Exception {
        proxy = Tinyproxy.start(dir.resolve("tinyproxy"), "s3-gw", "s3-Pr0xy-secret");
        s3 = S3ProxyServer.start(dir.resolve("s3"));
        s3.createBucket("proxied");
        store = new S3BlobStore(new S3BlobStore.Location(s3.endpoint(), S3ProxyServer.REGION, "proxied", "node/",
                S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, true), dir.resolve("staging"),
                Optional.of(new OutboundProxy("127.0.0.1", proxy.port(), OutboundProxy.Auth.BASIC, "s3-gw", "s3-Pr0xy-secret",
                        List.of())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) {
            store.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Override
    public BlobStore store() {
        return store;
    }

    @Override
    public byte[] storedBytes(String key) throws java.io.IOException {
        return Files.readAllBytes(s3.objectFile("proxied", "node/" + key));
    }

    @Override
    public void replaceStoredBytes(String key, byte[] bytes) throws java.io.IOException {
        Files.write(s3.objectFile("proxied", "node/" + key), bytes);
    }

    @Test
    void shouldPutAndGetThroughTheProxy() throws Exception {
        int before = proxy.requests().size();

        store.put("files/through-proxy.txt", out -> out.write("durch den Proxy".getBytes(StandardCharsets.UTF_8)));
        byte[] read;
        try (var in = store.get("files/through-proxy.txt")) {
            read = in.readAllBytes();
        }

        assertThat(new String(read, StandardCharsets.UTF_8)).isEqualTo("durch den Proxy");
        String object = s3.endpoint().toString().replaceAll("/$", "") + "/proxied/node/files/through-proxy.txt";
        assertThat(proxy.requests().subList(before, proxy.requests().size()))
                .as("tinyproxy's log has the upload and the download")
                .anySatisfy(line -> assertThat(line).startsWith("PUT " + object))
                .anySatisfy(line -> assertThat(line).startsWith("GET " + object));
    }
}
