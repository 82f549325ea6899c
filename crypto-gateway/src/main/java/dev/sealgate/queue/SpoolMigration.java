package dev.sealgate.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrade in place: message bodies of the layout before the blob store ({@code <data-dir>/spool/<name>},
 * plain, ADR 0031) move into the spool's blob store, and the queue rows that name them are re-pointed
 * at the new reference (with size and SHA-256). Crash-safe in this order: the blob is durable, then
 * the rows are committed, then the file is deleted; a start that is interrupted moves the rest on the
 * next one. Files no queued recipient needs are orphans of an interrupted reception and are deleted
 * once older than {@code orphanAge}, as the spool always did.
 */
public final class SpoolMigration {

    private static final Logger log = LoggerFactory.getLogger(SpoolMigration.class);

    /** What a run did. */
    public record Result(int moved, int orphansDeleted) {
    }

    private SpoolMigration() {
    }

    public static Result run(Path legacyDirectory, Spool spool, QueueRepository queue, Duration orphanAge) {
        if (!Files.isDirectory(legacyDirectory)) {
            return new Result(0, 0);
        }
        Set<String> inUse = queue.contentInUse();
        Instant cutoff = Instant.now().minus(orphanAge);
        int moved = 0;
        int orphans = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(legacyDirectory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!Files.isRegularFile(file) || name.startsWith(".")) {
                    continue;
                }
                if (inUse.contains(name)) {
                    SpooledContent content = spool.write(name, out -> Files.copy(file, out));
                    queue.repointContent(name, content.reference());
                    Files.delete(file);
                    moved++;
                } else if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                    Files.delete(file);
                    orphans++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not move the spool files of " + legacyDirectory + " into the blob store ("
                    + moved + " moved so far); fix the cause and start again, the rest is moved then", e);
        }
        if (moved > 0 || orphans > 0) {
            log.info("Moved {} queued message bodies from {} into the blob store (encrypted at rest); deleted {} orphans",
                    moved, legacyDirectory, orphans);
        }
        return new Result(moved, orphans);
    }
}
