package dev.sealgate.blob;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where message bodies and large files live (docs/adr/0100-blob-store.md). Always encrypted at rest
 * under the master key.
 *
 * @param type {@code file} (default: {@code <data-dir>/blobs}) or {@code s3}; unset, {@code s3} when the
 *             older {@code sealgate.files.s3.enabled} is true, else {@code file}
 * @param s3   the bucket, with {@code type: s3}; each key unset falls back to its {@code sealgate.files.s3.*} alias
 * @param file the directory, with {@code type: file}
 */
@ConfigurationProperties("sealgate.blob-store")
public record BlobStoreProperties(Type type, @DefaultValue S3 s3, @DefaultValue File file) {

    /**
     * @param directory where the blobs live (default {@code <data-dir>/blobs}); the nodes of a cluster without
     *                  S3 point it at one shared directory (each node keeps its own data directory)
     */
    public record File(java.nio.file.Path directory) {
    }

    public enum Type {
        FILE, S3
    }

    /**
     * @param endpoint  the S3 API endpoint, e.g. {@code https://s3.eu-central-1.amazonaws.com} or a MinIO/Ceph URL;
     *                  unset: AWS's endpoint for the region
     * @param bucket    the bucket; must exist
     * @param region    the bucket's region (default us-east-1)
     * @param prefix    prepended to every object key, e.g. {@code sealgate/} (default none)
     * @param accessKey access key id; unset: the AWS default credentials chain
     * @param secretKey secret access key, with {@code accessKey}
     * @param pathStyle address the bucket in the path, not the host name (default true)
     */
    public record S3(URI endpoint, String bucket, String region, String prefix, String accessKey, String secretKey,
                     Boolean pathStyle) {

        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", bucket=" + bucket + ", prefix=" + prefix + ", accessKey="
                    + (accessKey == null ? "(unset)" : "(set)") + "]";
        }
    }
}
