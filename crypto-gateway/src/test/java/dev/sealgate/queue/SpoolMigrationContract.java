package dev.sealgate.queue;

import static dev.sealgate.queue.QueueFixtures.message;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Upgrade in place: a data directory as the version before the blob store left it (plain bodies in
 * {@code <data-dir>/spool}, queue rows naming the files) is taken over at start. Run on H2 and PostgreSQL.
 */
public interface SpoolMigrationContract {

    DataSource dataSource();

    Path directory();

    @Test
    default void shouldMoveQueuedBodiesIntoTheBlobStoreAndRepointTheirRows() throws Exception {
        Path dataDir = directory().resolve("data-" + UUID.randomUUID());
        Path legacy = Files.createDirectories(dataDir.resolve("spool"));
        QueueRepository queue = new QueueRepository(dataSource());
        Instant t0 = Instant.parse("2026-05-01T10:00:00Z");
        String id = "legacy-" + UUID.randomUUID().toString().substring(0, 8);
        String held = "held-" + UUID.randomUUID().toString().substring(0, 8);
        queue.enqueue(List.of(message(id, t0, "alice@partner.example", "hop-" + id, "bob@corp.example", "carol@corp.example"),
                message(held, t0, "alice@partner.example", "hop-" + held, dev.sealgate.tracking.RecipientStatus.HELD,
                        "dave@corp.example")));
        String body = "Received: from old\r\nSubject: queued before the upgrade\r\n\r\nbody\r\n";
        Files.writeString(legacy.resolve(id + ".eml"), body, StandardCharsets.US_ASCII);
        Files.writeString(legacy.resolve(held + ".eml"), "Subject: held\r\n\r\nx\r\n", StandardCharsets.US_ASCII);
        Path oldOrphan = Files.writeString(legacy.resolve("orphan-old.eml"), "never acknowledged");
        Files.setLastModifiedTime(oldOrphan, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path youngOrphan = Files.writeString(legacy.resolve("orphan-young.eml"), "maybe being received");
        Spool spool = TestSpools.encrypted(dataDir);

        SpoolMigration.Result result = SpoolMigration.run(legacy, spool, queue, Duration.ofHours(1));

        assertThat(result).isEqualTo(new SpoolMigration.Result(2, 1));
        assertThat(legacy.resolve(id + ".eml")).doesNotExist();
        assertThat(legacy.resolve(held + ".eml")).doesNotExist();
        assertThat(oldOrphan).doesNotExist();
        assertThat(youngOrphan).exists();
        List<ClaimedRecipient> claimed = queue.claimDue("node-a", t0.plusSeconds(1), Duration.ofMinutes(5), 1000).stream()
                .filter(r -> r.messageId().equals(id)).toList();
        assertThat(claimed).hasSize(2).allSatisfy(r -> {
            SpooledContent content = spool.open(r.contentFile());
            assertThat(content.name()).isEqualTo(id + ".eml");
            assertThat(content.size()).isEqualTo(body.length());
            assertThat(TestSpools.text(content)).isEqualTo(body);
        });
        assertThat(queue.contentInUse()).noneMatch(c -> c.equals(id + ".eml") || c.equals(held + ".eml"));
        assertThat(Files.readString(dataDir.resolve("blobs/spool/" + id + ".eml"), StandardCharsets.ISO_8859_1))
                .as("encrypted at rest").doesNotContain("queued before the upgrade");
    }

    @Test
    default void shouldDoNothingWithoutAnOldSpoolDirectory() {
        Path dataDir = directory().resolve("fresh-" + UUID.randomUUID());

        SpoolMigration.Result result = SpoolMigration.run(dataDir.resolve("spool"), TestSpools.encrypted(dataDir),
                new QueueRepository(dataSource()), Duration.ofHours(1));

        assertThat(result).isEqualTo(new SpoolMigration.Result(0, 0));
    }
}
