package dev.sealgate.queue;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * Message bodies as files under {@code <data-dir>/spool}. A file is written and forced to disk
 * ({@link FileChannel#force}) before {@link #write} returns; only then does the caller commit the
 * queue rows that point at it. The commit, not a rename, makes a file part of the queue: a file
 * that a crash left half-written has no rows and is deleted as an orphan. The new file's directory
 * entry is made durable by the file's own fsync on the journaling file systems we support (ext4,
 * XFS); see docs/adr/0031-spool-durability.md.
 */
public final class Spool {

    /** Writes a message's bytes into the given stream. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    private final Path directory;

    public Spool(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create spool directory " + directory + ": check the permissions of sealgate.data-dir", e);
        }
    }

    public SpooledContent write(String fileName, Writer writer) throws IOException {
        Path target = directory.resolve(fileName);
        long size;
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
            writer.writeTo(out);
            out.flush();
            channel.force(true);
            size = channel.size();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(target);
            throw e;
        }
        return new SpooledContent(fileName, target, size);
    }

    public SpooledContent open(String fileName) throws IOException {
        Path path = directory.resolve(fileName);
        return new SpooledContent(fileName, path, Files.size(path));
    }

    public void delete(String fileName) {
        try {
            Files.deleteIfExists(directory.resolve(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete spool file " + directory.resolve(fileName), e);
        }
    }

    /**
     * Deletes files that no queue row refers to and that are older than {@code minimumAge}: left
     * by a crash between writing the file and committing its rows (the client was never told
     * "250" and sends again). Returns how many went.
     */
    public int deleteOrphans(Predicate<String> referenced, Duration minimumAge) throws IOException {
        Instant cutoff = Instant.now().minus(minimumAge);
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff) && !referenced.test(name)) {
                        Files.deleteIfExists(file);
                        deleted++;
                    }
                } catch (NoSuchFileException e) {
                    // deleted meanwhile by a delivery worker
                }
            }
        }
        return deleted;
    }
}
