package dev.sealgate.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealgate.files.S3StorageProperties;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Which store the keys choose: the default, the new keys, and the older {@code sealgate.files.s3.*} as aliases. */
class BlobStoreConfigurationTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path sharedDirectory;

    private BlobStore raw(Map<String, String> keys) {
        Binder binder = new Binder(new MapConfigurationPropertySource(keys));
        BlobStore store = BlobStoreConfiguration.raw(binder.bindOrCreate("sealgate.blob-store", BlobStoreProperties.class),
                binder.bindOrCreate("sealgate.files.s3", S3StorageProperties.class), dataDir);
        if (store instanceof S3BlobStore s3) {
            s3.close();
        }
        return store;
    }

    @Test
    void shouldKeepBlobsUnderTheDataDirectoryByDefault() {
        assertThat(raw(Map.of())).isInstanceOfSatisfying(FileBlobStore.class,
                f -> assertThat(f.root()).isEqualTo(dataDir.resolve("blobs").toAbsolutePath().normalize()));
    }

    @Test
    void shouldKeepBlobsInTheConfiguredDirectorySoThatNodesCanShareOne() {
        Path shared = sharedDirectory.resolve("blobs");

        assertThat(raw(Map.of("sealgate.blob-store.type", "file", "sealgate.blob-store.file.directory", shared.toString())))
                .isInstanceOfSatisfying(FileBlobStore.class,
                        f -> assertThat(f.root()).isEqualTo(shared.toAbsolutePath().normalize()));
    }

    @Test
    void shouldUseTheBucketOfTheBlobStoreKeys() {
        BlobStore store = raw(Map.of("sealgate.blob-store.type", "s3",
                "sealgate.blob-store.s3.endpoint", "http://127.0.0.1:9",
                "sealgate.blob-store.s3.bucket", "cluster",
                "sealgate.blob-store.s3.prefix", "sg/",
                "sealgate.blob-store.s3.access-key", "AK",
                "sealgate.blob-store.s3.secret-key", "SK"));

        assertThat(store).hasToString("S3BlobStore[s3://cluster/sg/]");
    }

    @Test
    void shouldTakeTheOlderFilesS3KeysAsAliases() {
        BlobStore store = raw(Map.of("sealgate.files.s3.enabled", "true",
                "sealgate.files.s3.endpoint", "http://127.0.0.1:9",
                "sealgate.files.s3.bucket", "old-files",
                "sealgate.files.s3.prefix", "legacy/",
                "sealgate.files.s3.access-key", "AK",
                "sealgate.files.s3.secret-key", "SK"));

        assertThat(store).hasToString("S3BlobStore[s3://old-files/legacy/]");
    }

    @Test
    void shouldLetABlobStoreKeyWinOverItsAlias() {
        BlobStore store = raw(Map.of("sealgate.files.s3.enabled", "true",
                "sealgate.files.s3.bucket", "old-files",
                "sealgate.files.s3.endpoint", "http://127.0.0.1:9",
                "sealgate.files.s3.access-key", "AK",
                "sealgate.files.s3.secret-key", "SK",
                "sealgate.blob-store.s3.bucket", "new-bucket"));

        assertThat(store).hasToString("S3BlobStore[s3://new-bucket/]");
    }

    @Test
    void shouldRefuseS3WithoutABucketNamingTheKey() {
        assertThatThrownBy(() -> raw(Map.of("sealgate.blob-store.type", "s3")))
                .hasMessageContaining("sealgate.blob-store.s3.bucket");
    }
}
