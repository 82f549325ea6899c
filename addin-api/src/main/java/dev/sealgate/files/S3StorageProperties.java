package dev.sealgate.files;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The older keys of S3 storage for large files, kept as aliases of {@code sealgate.blob-store.s3.*}: with
 * {@code enabled} true and no {@code sealgate.blob-store.type}, the blob store (message bodies and large
 * files) is this bucket; each {@code sealgate.blob-store.s3.*} key that is unset falls back to its alias here.
 *
 * @param enabled    store files in S3 instead of {@code <data-dir>/files/store} (default false)
 * @param endpoint   the S3 API endpoint, e.g. {@code https://s3.eu-central-1.amazonaws.com} or a MinIO/Ceph URL;
 *                   unset: AWS's endpoint for the region
 * @param region     the bucket's region (default us-east-1; most S3-compatible stores ignore it)
 * @param bucket     the bucket; must exist
 * @param prefix     prepended to every object key, e.g. {@code sealgate/files/} (default none)
 * @param accessKey  access key id; unset: the AWS default credentials chain (environment, profile, instance role)
 * @param secretKey  secret access key, with {@code accessKey}
 * @param pathStyle  address the bucket in the path, not the host name (default true, as S3-compatible stores need)
 */
@ConfigurationProperties("sealgate.files.s3")
public record S3StorageProperties(@DefaultValue("false") boolean enabled,
                                  URI endpoint,
                                  @DefaultValue("us-east-1") String region,
                                  String bucket,
                                  @DefaultValue("") String prefix,
                                  String accessKey,
                                  String secretKey,
                                  @DefaultValue("true") boolean pathStyle) {

    public S3StorageProperties {
        if (enabled && (bucket == null || bucket.isBlank())) {
            throw new IllegalArgumentException("sealgate.files.s3.enabled is true but sealgate.files.s3.bucket is not set");
        }
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("set both sealgate.files.s3.access-key and sealgate.files.s3.secret-key, or neither");
        }
    }

    @Override
    public String toString() {
        return "S3StorageProperties[enabled=" + enabled + ", endpoint=" + endpoint + ", bucket=" + bucket
                + ", accessKey=" + (accessKey == null ? "(default chain)" : "(set)") + "]";
    }
}
