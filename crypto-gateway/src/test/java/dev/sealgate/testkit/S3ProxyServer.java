package dev.sealgate.testkit;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 API server for tests: S3Proxy with its file-system backend, in this JVM, on a free
 * loopback port, checking AWS signatures (V2 or V4) against {@link #ACCESS_KEY}/{@link #SECRET_KEY}.
 * A bucket is a directory under the server's directory and an object a file in it, so a test can
 * damage a stored object behind the service's back ({@link #objectFile}). Its Jetty is shaded inside
 * the s3proxy jar, so it lives beside Boot's own versions (docs/adr/0102-s3proxy-in-the-tests.md).
 *
 * <pre>
 * try (S3ProxyServer s3 = S3ProxyServer.start(dir)) {
 *     s3.createBucket("blobs");
 *     ... --sealgate.blob-store.type=s3 --sealgate.blob-store.s3.endpoint=s3.endpoint() ...
 * }
 * </pre>
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "sealgate-test";
    public static final String SECRET_KEY = "sealgate-test-secret-key-0123456789";
    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final Path directory;

    private S3ProxyServer(S3Proxy proxy, BlobStoreContext context, Path directory) {
        this.proxy = proxy;
        this.context = context;
        this.directory = directory;
    }

    /** Starts a server whose buckets live under {@code directory}; returns once it accepts requests. */
    public static S3ProxyServer start(Path directory) throws Exception {
        Files.createDirectories(directory);
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", directory.toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").overrides(properties)
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        for (int i = 0; i < 10_000 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(1);
        }
        if (!"STARTED".equals(proxy.getState())) {
            proxy.stop();
            context.close();
            throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
        return new S3ProxyServer(proxy, context, directory);
    }

    /** The endpoint to configure, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public void createBucket(String bucket) {
        context.getBlobStore().createContainerInLocation(null, bucket);
    }

    /** The file that holds an object (file-system backend): read it, flip a byte in it, cut it short. */
    public Path objectFile(String bucket, String objectKey) {
        return directory.resolve(bucket).resolve(objectKey);
    }

    /** The command-line arguments that point a service at this server and bucket. */
    public java.util.List<String> serviceArguments(String bucket, String prefix) {
        return java.util.List.of("--sealgate.blob-store.type=s3",
                "--sealgate.blob-store.s3.endpoint=" + endpoint(),
                "--sealgate.blob-store.s3.bucket=" + bucket,
                "--sealgate.blob-store.s3.prefix=" + prefix,
                "--sealgate.blob-store.s3.region=" + REGION,
                "--sealgate.blob-store.s3.access-key=" + ACCESS_KEY,
                "--sealgate.blob-store.s3.secret-key=" + SECRET_KEY,
                "--sealgate.blob-store.s3.path-style=true");
    }

    @Override
    public void close() throws IOException {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IOException("S3Proxy did not stop", e);
        } finally {
            context.close();
        }
    }
}
