package dev.sealgate.blob;

import dev.sealgate.io.CloseShieldOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Blobs as files under one directory (by default {@code <data-dir>/blobs}), a key's segments as
 * sub-directories. A blob is written to a hidden temporary file beside its place, forced to disk,
 * renamed into place, and the directory forced too: after {@link #put} returns, a crash or a power
 * loss keeps the blob, and a blob is never visible half-written. Temporary files (their names start
 * with a dot, which no key segment may) left by a crash are deleted by {@link #deleteStaleTemporaryFiles}.
 */
public final class FileBlobStore implements BlobStore {

    private static final String TEMPORARY = ".tmp-";

    private final Path root;

    public FileBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the blob directory " + this.root
                    + ": check the permissions of sealgate.data-dir", e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public BlobInfo put(String key, Writer writer) throws IOException {
        return write(key, writer, true);
    }

    /** Without the SHA-256 of the bytes written (the encrypted store hashes the plain bytes itself). */
    @Override
    public void putUnmeasured(String key, Writer writer) throws IOException {
        write(key, writer, false);
    }

    private BlobInfo write(String key, Writer writer, boolean measure) throws IOException {
        Path target = path(key);
        Path directory = target.getParent();
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            forceDirectory(directory.getParent());
        }
        Path temporary = directory.resolve(TEMPORARY + UUID.randomUUID());
        BlobInfo info;
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
            MeasuringOutputStream measuring = measure ? new MeasuringOutputStream(buffered) : null;
            OutputStream out = measure ? measuring : new CloseShieldOutputStream(buffered);
            writer.writeTo(out);
            out.flush();
            channel.force(true);
            info = measure ? measuring.info() : null;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temporary);
            throw new IOException("the file system of " + root + " cannot rename atomically; put sealgate.data-dir on a local"
                    + " POSIX file system", e);
        }
        forceDirectory(directory);
        return info;
    }

    @Override
    public InputStream get(String key) throws IOException {
        return Files.newInputStream(path(key));
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(path(key));
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(path(key));
    }

    @Override
    public List<Listed> list(String prefix) throws IOException {
        Path directory = path(BlobStore.checkPrefix(prefix).substring(0, prefix.length() - 1));
        List<Listed> result = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return result;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().startsWith(".")) {
                    continue;
                }
                try {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    if (attributes.isRegularFile()) {
                        result.add(new Listed(root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/"),
                                attributes.lastModifiedTime().toInstant()));
                    }
                } catch (NoSuchFileException e) {
                    // deleted while we listed
                }
            }
        }
        return result;
    }

    /** Deletes temporary files of writes a crash interrupted, older than {@code minimumAge}; returns how many went. */
    public int deleteStaleTemporaryFiles(Duration minimumAge) throws IOException {
        Instant cutoff = Instant.now().minus(minimumAge);
        int deleted = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                try {
                    if (file.getFileName().toString().startsWith(TEMPORARY)
                            && Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(file);
                        deleted++;
                    }
                } catch (NoSuchFileException e) {
                    // finished meanwhile
                }
            }
        }
        return deleted;
    }

    private Path path(String key) {
        Path path = root.resolve(BlobStore.checkKey(key)).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("blob key leaves the blob directory");
        }
        return path;
    }

    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public String toString() {
        return "FileBlobStore[" + root + "]";
    }
}
