package dev.sealgate.blob;

import dev.sealgate.SealgateProperties;
import dev.sealgate.certs.MasterKey;
import dev.sealgate.files.S3StorageProperties;
import dev.sealgate.net.OutboundProxy;
import dev.sealgate.net.ProxyProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one blob store of the service: files under {@code <data-dir>/blobs} (or
 * {@code sealgate.blob-store.file.directory}) or an S3 bucket
 * ({@code sealgate.blob-store.*}, with {@code sealgate.files.s3.*} as aliases), encrypted under the
 * master key.
 */
@Configuration(proxyBeanMethods = false)
class BlobStoreConfiguration {

    @Bean(destroyMethod = "close")
    EncryptedBlobStore blobStore(BlobStoreProperties properties, S3StorageProperties legacy, SealgateProperties sealgate,
                                 MasterKey masterKey, ProxyProperties proxy) {
        return new EncryptedBlobStore(raw(properties, legacy, sealgate.dataDir(), proxy.proxy()), masterKey);
    }

    static BlobStore raw(BlobStoreProperties properties, S3StorageProperties legacy, Path dataDir) {
        return raw(properties, legacy, dataDir, Optional.empty());
    }

    /** @param proxy the outbound proxy for the S3 client ({@code sealgate.proxy.*}) */
    static BlobStore raw(BlobStoreProperties properties, S3StorageProperties legacy, Path dataDir,
                         Optional<OutboundProxy> proxy) {
        BlobStoreProperties.Type type = properties.type() != null ? properties.type()
                : legacy.enabled() ? BlobStoreProperties.Type.S3 : BlobStoreProperties.Type.FILE;
        if (type == BlobStoreProperties.Type.FILE) {
            FileBlobStore files = new FileBlobStore(properties.file().directory() != null ? properties.file().directory()
                    : dataDir.resolve("blobs"));
            try {
                files.deleteStaleTemporaryFiles(Duration.ofHours(1));
            } catch (IOException e) {
                throw new UncheckedIOException("could not clean up interrupted writes under " + files.root(), e);
            }
            return files;
        }
        BlobStoreProperties.S3 s3 = properties.s3();
        boolean ownCredentials = s3.accessKey() != null || s3.secretKey() != null;
        S3BlobStore.Location location = new S3BlobStore.Location(
                s3.endpoint() != null ? s3.endpoint() : legacy.endpoint(),
                s3.region() != null ? s3.region() : legacy.region(),
                s3.bucket() != null ? s3.bucket() : legacy.bucket(),
                s3.prefix() != null ? s3.prefix() : legacy.prefix(),
                ownCredentials ? s3.accessKey() : legacy.accessKey(),
                ownCredentials ? s3.secretKey() : legacy.secretKey(),
                s3.pathStyle() != null ? s3.pathStyle() : legacy.pathStyle());
        return new S3BlobStore(location, dataDir.resolve("tmp").resolve("s3-staging"), proxy);
    }
}
