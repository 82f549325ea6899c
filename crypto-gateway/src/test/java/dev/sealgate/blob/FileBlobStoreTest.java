package dev.sealgate.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-system blob store, without encryption. */
class FileBlobStoreTest implements BlobStoreContract {

    @TempDir
    Path dir;

    private FileBlobStore store;

    @Override
    public FileBlobStore store() {
        if (store == null) {
            store = new FileBlobStore(dir.resolve("blobs"));
        }
        return store;
    }

    @Override
    public byte[] storedBytes(String key) throws java.io.IOException {
        return Files.readAllBytes(store().root().resolve(key));
    }

    @Override
    public void replaceStoredBytes(String key, byte[] bytes) throws java.io.IOException {
        Files.write(store().root().resolve(key), bytes);
    }

    @Test
    void shouldLayBlobsOutAsFilesUnderTheirKeysAndLeaveNoTemporaryFile() throws Exception {
        store().put("spool/m1.eml", out -> out.write("body".getBytes()));

        assertThat(dir.resolve("blobs/spool/m1.eml")).hasContent("body");
        try (var files = Files.list(dir.resolve("blobs/spool"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("m1.eml");
        }
    }

    @Test
    void shouldStoreUnmeasuredBlobsAlikeAndKeepNothingOfAFailedOne() throws Exception {
        store().putUnmeasured("spool/u.eml", out -> {
            out.write("unmeasured ".getBytes());
            out.write('b');
            out.close(); // a writer that closes its stream: the store still decides when the blob is complete
        });

        assertThatThrownBy(() -> store().putUnmeasured("spool/broken.eml", out -> {
            out.write("half".getBytes());
            throw new java.io.IOException("the writer failed");
        })).hasMessage("the writer failed");

        assertThat(dir.resolve("blobs/spool/u.eml")).hasContent("unmeasured b");
        try (var files = Files.list(dir.resolve("blobs/spool"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("u.eml");
        }
    }

    @Test
    void shouldDeleteOnlyStaleTemporaryFilesOfInterruptedWrites() throws Exception {
        store().put("spool/kept.eml", out -> out.write(1));
        Path stale = Files.writeString(dir.resolve("blobs/spool/.tmp-stale"), "half");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path fresh = Files.writeString(dir.resolve("blobs/spool/.tmp-fresh"), "being written");

        assertThat(store().deleteStaleTemporaryFiles(Duration.ofHours(1))).isEqualTo(1);

        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
        assertThat(store().list("spool/")).extracting(BlobStore.Listed::key).containsExactly("spool/kept.eml");
    }
}
