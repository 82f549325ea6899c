package dev.sealgate.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealgate.blob.BlobIntegrityException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A body this node just wrote is read back from memory, not opened and decrypted again (ADR 0151);
 * large bodies, bodies pushed out and deleted ones come from the store, checked as always.
 */
class SpoolRecentBodiesTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldReadAJustWrittenBodyFromMemoryWhileTheStoredBlobIsUntouched() throws IOException {
        Spool spool = TestSpools.encrypted(dataDir);
        SpooledContent content = spool.write("m1.eml", out -> out.write("Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)));
        damage(content);

        assertThat(TestSpools.text(spool.open(content.reference()))).as("the bytes that were written")
                .isEqualTo("Subject: hi\r\n\r\nbody\r\n");
        try (SharedContent shared = spool.open(content.reference()).openShared()) {
            assertThat(new String(shared.readAllBytes(), StandardCharsets.US_ASCII)).startsWith("Subject: hi");
        }
    }

    @Test
    void shouldReadFromTheStoreOnceDeletedOrWithoutRoomInMemory() throws IOException {
        Spool spool = TestSpools.encrypted(dataDir);
        SpooledContent content = spool.write("m2.eml", out -> out.write(new byte[1000]));
        spool.delete(content.reference());
        assertThatThrownBy(() -> read(spool, content)).as("gone from memory and store").isInstanceOf(IOException.class);

        Spool noRoom = TestSpools.readingFromTheStore(dataDir);
        SpooledContent stored = noRoom.write("m3.eml", out -> out.write(new byte[1000]));
        damage(stored);
        assertThatThrownBy(() -> read(noRoom, stored)).isInstanceOf(BlobIntegrityException.class);
    }

    @Test
    void shouldNotKeepBodiesLargerThanTheLimit() throws IOException {
        Spool spool = TestSpools.encrypted(dataDir);
        byte[] large = new byte[Spool.RECENT_BODY + 1];
        Arrays.fill(large, (byte) 'x');
        SpooledContent content = spool.write("m4.eml", out -> out.write(large));
        damage(content);

        assertThatThrownBy(() -> read(spool, content)).as("read from the store, where it is damaged")
                .isInstanceOf(BlobIntegrityException.class);
    }

    @Test
    void shouldKeepAReceivedSmallBodyInMemoryUntilPersistedAndNeverStoreOneDeletedBefore() throws IOException {
        Spool spool = TestSpools.encrypted(dataDir);
        byte[] head = "Received: x\r\n".getBytes(StandardCharsets.US_ASCII);
        SpooledContent kept = spool.receive("r1.eml", head, new java.io.ByteArrayInputStream("Subject: a\r\n\r\nb\r\n".getBytes(StandardCharsets.US_ASCII)));
        Path blob = dataDir.resolve("blobs").resolve(Spool.PREFIX + "r1.eml");

        assertThat(TestSpools.text(kept)).isEqualTo("Received: x\r\nSubject: a\r\n\r\nb\r\n");
        assertThat(kept.size()).isEqualTo(head.length + 17);
        assertThat(blob).as("not stored yet").doesNotExist();
        spool.persist(kept);
        assertThat(blob).as("stored, encrypted").exists();
        assertThat(new String(Files.readAllBytes(blob), StandardCharsets.ISO_8859_1)).as("encrypted at rest").doesNotContain("Subject: a");
        assertThat(TestSpools.text(spool.open(kept.reference()))).isEqualTo("Received: x\r\nSubject: a\r\n\r\nb\r\n");

        SpooledContent dropped = spool.receive("r2.eml", head, new java.io.ByteArrayInputStream(new byte[100]));
        spool.delete(dropped.reference());
        assertThat(dataDir.resolve("blobs").resolve(Spool.PREFIX + "r2.eml")).doesNotExist();
        assertThatThrownBy(() -> read(spool, dropped)).isInstanceOf(IOException.class);
    }

    @Test
    void shouldStoreALargeReceivedBodyAtOnce() throws IOException {
        Spool spool = TestSpools.encrypted(dataDir);
        byte[] body = new byte[Spool.DEFERRED_BODY + 10];
        Arrays.fill(body, (byte) 'y');
        SpooledContent content = spool.receive("r3.eml", new byte[0], new java.io.ByteArrayInputStream(body));

        assertThat(dataDir.resolve("blobs").resolve(Spool.PREFIX + "r3.eml")).exists();
        assertThat(read(spool, content)).isEqualTo(body);
    }

    @Test
    void shouldPushOutTheOldestBodiesBeyondTheTotal() {
        RecentBodies recent = new RecentBodies(250);
        recent.put("a", new byte[100]);
        recent.put("b", new byte[100]);
        recent.put("c", new byte[100]);

        assertThat(recent.get("a", 100)).as("oldest, pushed out").isNull();
        assertThat(recent.get("b", 100)).isNotNull();
        assertThat(recent.get("c", 100)).isNotNull();
        assertThat(recent.get("c", 99)).as("not of the recorded size").isNull();
        assertThat(recent.size()).isEqualTo(200);
        recent.remove("b");
        assertThat(recent.size()).isEqualTo(100);
    }

    private static byte[] read(Spool spool, SpooledContent content) throws IOException {
        try (InputStream in = spool.open(content.reference()).open()) {
            return in.readAllBytes();
        }
    }

    private void damage(SpooledContent content) throws IOException {
        Path blob = dataDir.resolve("blobs").resolve(Spool.PREFIX + content.name());
        byte[] stored = Files.readAllBytes(blob);
        stored[stored.length - 20] ^= 0x01;
        Files.write(blob, stored);
    }
}
