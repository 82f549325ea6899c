package dev.sealgate.blob;

import dev.sealgate.net.OutboundHttp;
import dev.sealgate.net.OutboundProxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, S3Proxy, ...), under an
 * optional key prefix. A blob is staged first (in memory up to 1 MiB, in a file under the staging
 * directory above that), so the PUT carries its exact length; the SDK's {@code aws-chunked} framing
 * and trailing checksums are switched off, because some S3-compatible servers store that framing as
 * part of the object. After the PUT a HEAD compares the stored length with what was sent: a server
 * that stored something else is caught at once, not when the blob is read. See
 * docs/adr/0100-blob-store.md.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

    /**
     * Where the bucket is and how to reach it.
     *
     * @param endpoint  the S3 API endpoint; null: AWS's endpoint for the region
     * @param region    the bucket's region
     * @param bucket    the bucket; must exist
     * @param prefix    prepended to every key, e.g. {@code sealgate/}; empty for none
     * @param accessKey access key id; null: the AWS default credentials chain
     * @param secretKey secret access key, with {@code accessKey}
     * @param pathStyle address the bucket in the path rather than the host name
     */
    public record Location(URI endpoint, String region, String bucket, String prefix, String accessKey, String secretKey,
                           boolean pathStyle) {

        public Location {
            if (bucket == null || bucket.isBlank()) {
                throw new IllegalArgumentException("the S3 blob store needs a bucket: set sealgate.blob-store.s3.bucket");
            }
            if ((accessKey == null) != (secretKey == null)) {
                throw new IllegalArgumentException("set both sealgate.blob-store.s3.access-key and .secret-key, or neither");
            }
            prefix = prefix == null ? "" : prefix;
            region = region == null ? "us-east-1" : region;
        }

        @Override
        public String toString() {
            return "Location[endpoint=" + endpoint + ", bucket=" + bucket + ", prefix=" + prefix + ", accessKey="
                    + (accessKey == null ? "(default chain)" : "(set)") + "]";
        }
    }

    static final int IN_MEMORY = 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Path staging;

    /**
     * @param staging a local directory for blobs larger than 1 MiB while they are uploaded
     */
    public S3BlobStore(Location location, Path staging) {
        this(location, staging, Optional.empty());
    }

    /**
     * @param staging a local directory for blobs larger than 1 MiB while they are uploaded
     * @param proxy   the outbound proxy ({@code sealgate.proxy.*}); empty: direct connections
     */
    public S3BlobStore(Location location, Path staging, Optional<OutboundProxy> proxy) {
        AwsCredentialsProvider credentials = location.accessKey() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(location.accessKey(), location.secretKey()));
        S3ClientBuilder builder = S3Client.builder()
                // the SDK's own defaults (2 s to connect, 30 s per read), with the gateway's proxy
                .httpClient(UrlConnectionHttpClient.create(uri -> openConnection(uri, proxy)))
                .region(Region.of(location.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(location.pathStyle())
                        .chunkedEncodingEnabled(false)
                        .build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (location.endpoint() != null) {
            builder.endpointOverride(location.endpoint());
        }
        this.s3 = builder.build();
        this.bucket = location.bucket();
        this.prefix = location.prefix();
        this.staging = staging;
        try {
            Files.createDirectories(staging);
            // left by puts a crash interrupted; the staging directory belongs to this node alone
            try (var leftovers = Files.newDirectoryStream(staging, "put-*")) {
                for (Path leftover : leftovers) {
                    Files.deleteIfExists(leftover);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the S3 staging directory " + staging
                    + ": check the permissions of sealgate.data-dir", e);
        }
    }

    private static java.net.HttpURLConnection openConnection(URI uri, Optional<OutboundProxy> proxy) {
        try {
            return OutboundHttp.openConnection(uri, proxy, Duration.ofSeconds(2), Duration.ofSeconds(30));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a connection to " + uri, e);
        }
    }

    @Override
    public BlobInfo put(String key, Writer writer) throws IOException {
        String objectKey = objectKey(key);
        try (Staged staged = new Staged()) {
            MeasuringOutputStream out = new MeasuringOutputStream(staged);
            writer.writeTo(out);
            out.flush();
            BlobInfo info = out.info();
            long length = staged.length();
            try {
                s3.putObject(b -> b.bucket(bucket).key(objectKey).contentLength(length).contentType("application/octet-stream"),
                        staged.body());
                HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(objectKey));
                if (head.contentLength() == null || head.contentLength() != length) {
                    s3.deleteObject(b -> b.bucket(bucket).key(objectKey));
                    throw new IOException("S3 bucket " + bucket + " stored " + head.contentLength() + " bytes for " + objectKey
                            + " instead of the " + length + " sent: the server does not store objects exactly; use another"
                            + " S3-compatible server");
                }
            } catch (SdkException e) {
                throw new IOException("could not store " + objectKey + " in S3 bucket " + bucket + ": " + e.getMessage(), e);
            }
            return info;
        }
    }

    @Override
    public InputStream get(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            return s3.getObject(b -> b.bucket(bucket).key(objectKey));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NoSuchFileException("s3://" + bucket + "/" + objectKey);
            }
            throw new IOException("could not read " + objectKey + " from S3 bucket " + bucket + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("could not read " + objectKey + " from S3 bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(objectKey));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw new IOException("could not delete " + objectKey + " from S3 bucket " + bucket + ": " + e.getMessage(), e);
            }
        } catch (SdkException e) {
            throw new IOException("could not delete " + objectKey + " from S3 bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            s3.headObject(b -> b.bucket(bucket).key(objectKey));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw new IOException("could not look up " + objectKey + " in S3 bucket " + bucket + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("could not look up " + objectKey + " in S3 bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Listed> list(String keyPrefix) throws IOException {
        String objectPrefix = prefix + BlobStore.checkPrefix(keyPrefix);
        List<Listed> result = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(objectPrefix)).contents()) {
                result.add(new Listed(object.key().substring(prefix.length()), object.lastModified()));
            }
        } catch (SdkException e) {
            throw new IOException("could not list " + objectPrefix + " in S3 bucket " + bucket + ": " + e.getMessage(), e);
        }
        return result;
    }

    @Override
    public void close() {
        s3.close();
    }

    private String objectKey(String key) {
        return prefix + BlobStore.checkKey(key);
    }

    @Override
    public String toString() {
        return "S3BlobStore[s3://" + bucket + "/" + prefix + "]";
    }

    /** The bytes of one PUT: in memory while small, then in a staging file that is deleted when done. */
    private final class Staged extends OutputStream {

        private ByteArrayOutputStream memory = new ByteArrayOutputStream();
        private Path file;
        private OutputStream fileOut;
        private long length;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (memory != null && memory.size() + len > IN_MEMORY) {
                file = staging.resolve("put-" + UUID.randomUUID());
                fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW), 64 * 1024);
                memory.writeTo(fileOut);
                memory = null;
            }
            (memory != null ? memory : fileOut).write(b, off, len);
            length += len;
        }

        long length() {
            return length;
        }

        RequestBody body() throws IOException {
            if (memory != null) {
                return RequestBody.fromBytes(memory.toByteArray());
            }
            fileOut.close();
            return RequestBody.fromFile(file);
        }

        @Override
        public void close() throws IOException {
            if (fileOut != null) {
                fileOut.close();
                Files.deleteIfExists(file);
            }
        }
    }
}
