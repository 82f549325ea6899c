package dev.sealgate.queue;

import dev.sealgate.blob.BlobInfo;
import dev.sealgate.blob.BlobStore;
import dev.sealgate.blob.WorkingCopy;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Message bodies in the blob store, under {@code spool/<name>}. {@link #write} returns only when the
 * body is durable (see {@link BlobStore#put}); only then does the caller commit the queue rows that
 * point at it. The commit, not the write, makes a body part of the queue: a body whose rows were
 * never committed is deleted as an orphan. The rows keep a {@link SpooledContent#reference()} that
 * carries the body's size and SHA-256, and every read is checked against them. See
 * docs/adr/0031-spool-durability.md and docs/adr/0100-blob-store.md.
 */
public final class Spool {

    /** The blob-store folder of the spool. */
    public static final String PREFIX = "spool/";

    /** Bodies up to this size are parsed from memory; larger ones from a {@link WorkingCopy}. */
    static final int IN_MEMORY = 1024 * 1024;

    private static final Pattern REFERENCE = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,150});(\\d{1,19});([0-9a-f]{64})");

    /** Writes a message's bytes into the given stream. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Bodies up to this size stay in memory after writing, for the steps and the delivery of this node. */
    static final int RECENT_BODY = 256 * 1024;

    private final BlobStore store;
    private final Path workDirectory;
    private final int inMemory;
    private final RecentBodies recent;
    /** False when nothing is to be kept in memory: every body is stored as it is received. */
    private final boolean deferBodies;
    /** Received bodies not stored (yet): stored by {@link #persist} when a delivery refers to them. */
    private final java.util.Map<String, byte[]> unstored = new java.util.concurrent.ConcurrentHashMap<>();

    /** Received bodies up to this size stay in memory until a delivery needs them stored (ADR 0151). */
    static final int DEFERRED_BODY = 64 * 1024;

    /**
     * @param workDirectory where working copies of large bodies live while a step parses them; emptied
     *                      here, since a working copy left by a crash can be read by nobody
     */
    public Spool(BlobStore store, Path workDirectory) {
        this(store, workDirectory, IN_MEMORY);
    }

    /** @param inMemory bodies up to this size are parsed from memory (tests set 0 to exercise working copies) */
    Spool(BlobStore store, Path workDirectory, int inMemory) {
        this(store, workDirectory, inMemory, Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16));
    }

    /** @param recentBytes how many bytes of recently written bodies stay in memory (0: every body is stored as it is
     *                    received and every read goes to the store) */
    Spool(BlobStore store, Path workDirectory, int inMemory, long recentBytes) {
        this.recent = new RecentBodies(recentBytes);
        this.deferBodies = recentBytes > 0;
        this.store = store;
        this.workDirectory = workDirectory;
        this.inMemory = inMemory;
        try {
            Files.createDirectories(workDirectory);
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(workDirectory, "work-*")) {
                for (Path leftover : leftovers) {
                    Files.deleteIfExists(leftover);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the work directory " + workDirectory
                    + ": check the permissions of sealgate.data-dir", e);
        }
    }

    public BlobStore store() {
        return store;
    }

    /**
     * Stores the body durably. A small body also stays in memory until it is deleted or pushed out
     * by newer ones: this node's steps and its delivery read it from there instead of opening and
     * decrypting it again (ADR 0151); other nodes, and this one after a restart, read the store.
     */
    public SpooledContent write(String fileName, Writer writer) throws IOException {
        RecentBodies.Capture capture = new RecentBodies.Capture(RECENT_BODY);
        BlobInfo info = store.put(PREFIX + fileName, out -> writer.writeTo(capture.tee(out)));
        byte[] bytes = capture.bytes();
        if (bytes != null && bytes.length == info.size()) {
            recent.put(fileName, bytes);
        }
        return new SpooledContent(fileName + ";" + info.size() + ";" + info.sha256(), fileName, info, this);
    }

    /**
     * Receives a message: {@code head} then the rest of {@code in}. A body up to
     * {@value #DEFERRED_BODY} bytes stays in memory only, with its size and SHA-256, until
     * {@link #persist} stores it — which the intake does for every content a delivery refers to,
     * before it commits the queue rows; a body that a step replaced is never stored. A larger body
     * is stored at once, as {@link #write} does. Exceptions of {@code in} pass through unchanged.
     */
    public SpooledContent receive(String fileName, byte[] head, InputStream in) throws IOException {
        byte[] first = deferBodies ? in.readNBytes(Math.max(1, DEFERRED_BODY - head.length + 1)) : new byte[0];
        if (!deferBodies || head.length + first.length > DEFERRED_BODY) {
            return write(fileName, out -> {
                out.write(head);
                out.write(first);
                in.transferTo(out);
            });
        }
        byte[] body = java.util.Arrays.copyOf(head, head.length + first.length);
        System.arraycopy(first, 0, body, head.length, first.length);
        BlobInfo info;
        try {
            info = BlobInfo.of(body.length, java.security.MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
        BlobStore.checkKey(PREFIX + fileName);
        unstored.put(fileName, body);
        return new SpooledContent(fileName + ";" + info.size() + ";" + info.sha256(), fileName, info, this);
    }

    /** Stores a body {@link #receive} kept in memory, durably; nothing to do for one already stored. */
    public void persist(SpooledContent content) throws IOException {
        byte[] body = unstored.get(content.name());
        if (body == null) {
            return;
        }
        BlobInfo info = store.put(PREFIX + content.name(), out -> out.write(body));
        if (!info.equals(content.info())) {
            throw new IOException("spooled content " + content.name() + " was stored as " + info + ", expected " + content.info());
        }
        recent.put(content.name(), body);
        unstored.remove(content.name());
    }

    /**
     * The content a queue row's reference names; no I/O happens until it is read.
     *
     * @throws IOException the reference is not one this spool wrote (or one of the layout before the
     *                     blob store that {@code SpoolMigration} did not convert)
     */
    public SpooledContent open(String reference) throws IOException {
        Matcher m = REFERENCE.matcher(reference == null ? "" : reference);
        if (!m.matches()) {
            throw new IOException("queue row refers to spooled content " + reference + " in a form this version does not"
                    + " know: it was written before the blob store and not converted at start");
        }
        return new SpooledContent(reference, m.group(1), new BlobInfo(Long.parseLong(m.group(2)), m.group(3)), this);
    }

    /** The name inside the spool of a reference kept in the queue rows. */
    public static String nameOf(String reference) {
        int end = reference.indexOf(';');
        return end < 0 ? reference : reference.substring(0, end);
    }

    public void delete(String reference) {
        unstored.remove(nameOf(reference));
        recent.remove(nameOf(reference));
        try {
            store.delete(PREFIX + nameOf(reference));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete spooled content " + nameOf(reference) + " from " + store, e);
        }
    }

    InputStream read(SpooledContent content) throws IOException {
        byte[] bytes = inMemory(content);
        if (bytes != null) {
            return new java.io.ByteArrayInputStream(bytes);
        }
        return store.get(PREFIX + content.name(), content.info());
    }

    /** Content as Jakarta Mail's parsers share it; small bodies from memory, large ones from a working copy. */
    SharedContent share(SpooledContent content) throws IOException {
        byte[] bytes = inMemory(content);
        if (bytes != null && bytes.length <= inMemory) {
            return SharedContent.of(new SharedByteArrayInputStream(bytes));
        }
        try (InputStream in = read(content)) {
            if (content.size() <= inMemory) {
                return SharedContent.of(new SharedByteArrayInputStream(in.readAllBytes()));
            }
            WorkingCopy copy = WorkingCopy.of(in, workDirectory);
            return SharedContent.of(copy.open());
        }
    }

    private byte[] inMemory(SpooledContent content) {
        byte[] body = unstored.get(content.name());
        if (body != null && body.length == content.size()) {
            return body;
        }
        return recent.get(content.name(), content.size());
    }

    /**
     * Deletes bodies that no queue row refers to and that are older than {@code minimumAge}: left
     * by a crash between writing the body and committing its rows (the client was never told
     * "250" and sends again). Returns how many went.
     */
    public int deleteOrphans(Set<String> referencesInUse, Duration minimumAge) throws IOException {
        Set<String> names = referencesInUse.stream().map(Spool::nameOf).collect(Collectors.toSet());
        Instant cutoff = Instant.now().minus(minimumAge);
        int deleted = 0;
        for (BlobStore.Listed blob : store.list(PREFIX)) {
            String name = blob.key().substring(PREFIX.length());
            if (blob.lastModified().isBefore(cutoff) && !names.contains(name)) {
                store.delete(blob.key());
                deleted++;
            }
        }
        return deleted;
    }
}
