package dev.sealgate.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every blob store must do: the file system, S3, and either under encryption at rest. The
 * implementation's test class also gives access to the stored bytes behind the store's back, to
 * damage them the way a disk, an operator or a broken S3 emulator would.
 */
public interface BlobStoreContract {

    BlobStore store();

    /** The bytes as they lie in the storage underneath (ciphertext for an encrypted store). */
    byte[] storedBytes(String key) throws IOException;

    /** Replaces the stored bytes behind the store's back. */
    void replaceStoredBytes(String key, byte[] bytes) throws IOException;

    private static String key(String name) {
        return "contract/" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private byte[] read(String key, BlobInfo info) throws IOException {
        try (InputStream in = store().get(key, info)) {
            return in.readAllBytes();
        }
    }

    @Test
    default void shouldGiveBackWhatWasStoredWithItsSizeAndSha256() throws Exception {
        String key = key("hello");
        byte[] content = "hello blob\r\n".getBytes(StandardCharsets.US_ASCII);

        BlobInfo info = store().put(key, out -> out.write(content));

        assertThat(info).isEqualTo(new BlobInfo(content.length, sha256(content)));
        assertThat(store().exists(key)).isTrue();
        assertThat(read(key, info)).isEqualTo(content);
        assertThat(read(key, info)).as("read as often as needed").isEqualTo(content);
    }

    @Test
    default void shouldTakeKeysThatStartWithADashOrAnUnderscoreAsBase64UrlTokensDo() throws Exception {
        for (String key : new String[] {"contract/-" + UUID.randomUUID(), "contract/_" + UUID.randomUUID()}) {
            BlobInfo info = store().put(key, out -> out.write(7));

            assertThat(read(key, info)).containsExactly(7);
            assertThat(store().list("contract/")).extracting(BlobStore.Listed::key).contains(key);
        }
    }

    @Test
    default void shouldStoreAnEmptyBlob() throws Exception {
        String key = key("empty");

        BlobInfo info = store().put(key, out -> { });

        assertThat(info.size()).isZero();
        assertThat(read(key, info)).isEmpty();
    }

    @Test
    default void shouldStreamSeveralMegabytesWrittenInOddPieces() throws Exception {
        String key = key("large");
        byte[] content = random(3 * 1024 * 1024 + 17, 42);

        BlobInfo info = store().put(key, out -> {
            for (int off = 0; off < content.length; off += 4099) {
                out.write(content, off, Math.min(4099, content.length - off));
            }
        });

        assertThat(info).isEqualTo(new BlobInfo(content.length, sha256(content)));
        assertThat(read(key, info)).isEqualTo(content);
    }

    @Test
    default void shouldStoreFromAnInputStream() throws Exception {
        String key = key("stream");
        byte[] content = random(70_000, 7);

        BlobInfo info = store().put(key, new java.io.ByteArrayInputStream(content));

        assertThat(read(key, info)).isEqualTo(content);
    }

    @Test
    default void shouldKeepNothingWhenTheWriterFails() throws Exception {
        String key = key("failed");

        assertThatThrownBy(() -> store().put(key, out -> {
            out.write(random(100_000, 1));
            throw new IOException("client went away");
        })).hasMessage("client went away");

        assertThat(store().exists(key)).isFalse();
        assertThat(store().list("contract/")).extracting(BlobStore.Listed::key).doesNotContain(key);
    }

    @Test
    default void shouldReplaceABlobStoredAgainUnderTheSameKey() throws Exception {
        String key = key("again");
        store().put(key, out -> out.write(new byte[] {1, 2, 3}));

        BlobInfo second = store().put(key, out -> out.write(new byte[] {4, 5}));

        assertThat(read(key, second)).containsExactly(4, 5);
    }

    @Test
    default void shouldReportAMissingBlob() {
        assertThatThrownBy(() -> store().get(key("missing")).close()).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    default void shouldDeleteAndToleratesDeletingTwice() throws Exception {
        String key = key("delete");
        store().put(key, out -> out.write(1));

        store().delete(key);

        assertThat(store().exists(key)).isFalse();
        store().delete(key);
    }

    @Test
    default void shouldListTheBlobsUnderAPrefixOnly() throws Exception {
        String folder = "list-" + UUID.randomUUID().toString().substring(0, 8);
        store().put(folder + "/a.eml", out -> out.write(1));
        store().put(folder + "/b.eml", out -> out.write(2));
        store().put(folder + "x/c.eml", out -> out.write(3));

        assertThat(store().list(folder + "/")).extracting(BlobStore.Listed::key)
                .containsExactlyInAnyOrder(folder + "/a.eml", folder + "/b.eml");
        assertThat(store().list(folder + "/")).allSatisfy(l -> assertThat(l.lastModified()).isNotNull());
        assertThat(store().list("nothing-" + folder + "/")).isEmpty();
    }

    @Test
    default void shouldRefuseKeysThatCouldEscapeTheStore() {
        for (String bad : new String[] {"../etc/passwd", "a/../../b", "/etc/passwd", ".tmp-x", "a//b", "a\\b", "", "a/b/c/d/e"}) {
            assertThatThrownBy(() -> store().get(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store().put(bad, out -> out.write(1))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    default void shouldFailLoudlyWhenAStoredByteIsFlipped() throws Exception {
        String key = key("flipped");
        byte[] content = random(200_000, 3);
        BlobInfo info = store().put(key, out -> out.write(content));
        byte[] stored = storedBytes(key);
        stored[stored.length / 2] ^= 0x01;
        replaceStoredBytes(key, stored);

        assertThatThrownBy(() -> read(key, info)).isInstanceOf(BlobIntegrityException.class).hasMessageContaining(key);
    }

    @Test
    default void shouldFailLoudlyWhenTheStoredBlobIsTruncated() throws Exception {
        String key = key("truncated");
        byte[] content = random(200_000, 4);
        BlobInfo info = store().put(key, out -> out.write(content));
        byte[] stored = storedBytes(key);
        replaceStoredBytes(key, Arrays.copyOf(stored, stored.length - 1000));

        assertThatThrownBy(() -> read(key, info)).isInstanceOf(BlobIntegrityException.class).hasMessageContaining(key);
    }

    @Test
    default void shouldFailLoudlyWhenTheStoredBlobHasBytesAppended() throws Exception {
        String key = key("appended");
        byte[] content = random(1000, 5);
        BlobInfo info = store().put(key, out -> out.write(content));
        byte[] stored = storedBytes(key);
        byte[] longer = Arrays.copyOf(stored, stored.length + 5);
        replaceStoredBytes(key, longer);

        assertThatThrownBy(() -> read(key, info)).isInstanceOf(BlobIntegrityException.class).hasMessageContaining(key);
    }

    @Test
    default void shouldNeverHandOutTheRecordedLengthOfADamagedBlob() throws Exception {
        String key = key("partial");
        byte[] content = random(300_000, 6);
        BlobInfo info = store().put(key, out -> out.write(content));
        byte[] stored = storedBytes(key);
        stored[stored.length - 3] ^= 0x40;
        replaceStoredBytes(key, stored);

        long delivered = 0;
        try (InputStream in = store().get(key, info)) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) != -1; ) {
                delivered += n;
            }
        } catch (BlobIntegrityException expected) {
            // the reader learns of the damage instead of the end
        }
        assertThat(delivered).isLessThan(content.length);
    }
}
