package dev.sealgate.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;
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
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * File contents as objects in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, ...). Checksums are
 * only sent where S3 requires them, because several S3-compatible stores refuse the newer
 * aws-chunked trailer checksums.
 */
public final class S3FileStorage implements FileStorage, AutoCloseable {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{8,128}");

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public S3FileStorage(S3StorageProperties properties) {
        AwsCredentialsProvider credentials = properties.accessKey() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(properties.accessKey(), properties.secretKey()));
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(properties.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(properties.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (properties.endpoint() != null) {
            builder.endpointOverride(properties.endpoint());
        }
        this.s3 = builder.build();
        this.bucket = properties.bucket();
        this.prefix = properties.prefix();
    }

    @Override
    public void put(String key, Path spoolFile) throws IOException {
        String objectKey = objectKey(key);
        try {
            s3.putObject(b -> b.bucket(bucket).key(objectKey).contentType("application/octet-stream"), RequestBody.fromFile(spoolFile));
        } catch (SdkException e) {
            throw new IOException("could not store " + objectKey + " in S3 bucket " + bucket + ": " + e.getMessage(), e);
        }
        Files.delete(spoolFile);
    }

    @Override
    public InputStream open(String key) throws IOException {
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
    public void close() {
        s3.close();
    }

    private String objectKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("file storage key must be 8-128 characters of [A-Za-z0-9_-], was " + key.length() + " characters");
        }
        return prefix + key;
    }
}
