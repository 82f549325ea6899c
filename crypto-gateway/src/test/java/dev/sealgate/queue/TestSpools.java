package dev.sealgate.queue;

import dev.sealgate.blob.EncryptedBlobStore;
import dev.sealgate.blob.FileBlobStore;
import dev.sealgate.certs.MasterKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Spools for tests, as the service builds them by default: encrypted blobs under the data directory. */
public final class TestSpools {

    private TestSpools() {
    }

    /** A spool in {@code <dataDir>/blobs} (encrypted under a random master key), working copies in {@code <dataDir>/work}. */
    public static Spool encrypted(Path dataDir) {
        return new Spool(new EncryptedBlobStore(new FileBlobStore(dataDir.resolve("blobs")), MasterKey.random()),
                dataDir.resolve("work"));
    }

    /** As {@link #encrypted}, but every parse of a spooled message goes through a working copy file. */
    public static Spool withWorkingCopies(Path dataDir) {
        return new Spool(new EncryptedBlobStore(new FileBlobStore(dataDir.resolve("blobs")), MasterKey.random()),
                dataDir.resolve("work"), 0);
    }

    /** As {@link #encrypted}, but no body stays in memory after writing: every read opens and checks the stored blob. */
    public static Spool readingFromTheStore(Path dataDir) {
        return new Spool(new EncryptedBlobStore(new FileBlobStore(dataDir.resolve("blobs")), MasterKey.random()),
                dataDir.resolve("work"), Spool.IN_MEMORY, 0);
    }

    /** As {@link #readingFromTheStore(Path)}, on a given store (S3 in a test, say). */
    public static Spool readingFromTheStore(dev.sealgate.blob.BlobStore store, Path workDirectory) {
        return new Spool(store, workDirectory, Spool.IN_MEMORY, 0);
    }

    /** The text of spooled content, checked like every spool read. */
    public static String text(SpooledContent content) throws IOException {
        try (InputStream in = content.open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
