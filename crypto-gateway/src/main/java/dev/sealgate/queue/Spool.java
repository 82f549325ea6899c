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
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Message bodies as files under {@code <data-dir>/spool}. A file is written to a temporary name,
 * forced to disk ({@link FileChannel#force}), renamed into place and the directory forced too, so
 * that once {@link #write} returns the bytes survive a crash; only then does the caller commit the
 * queue rows that point at it. See docs/adr/0031-spool-durability.md.
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
        Path tmp = directory.resolve(fileName + ".part");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
            writer.writeTo(out);
            out.flush();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
        return new SpooledContent(fileName, target, Files.size(target));
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
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)
                            && (name.endsWith(".part") || !referenced.test(name))) {
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

    public Set<String> list() throws IOException {
        try (var files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".part"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    private void forceDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for force; the rename is then as durable as they allow
        }
    }
}
