package dev.sealgate.queue;

import dev.sealgate.blob.BlobInfo;
import java.io.IOException;
import java.io.InputStream;

/**
 * A message's bytes as durably stored in the spool: read as often as needed, never changed; every
 * read is checked against the size and SHA-256 recorded when it was written.
 */
public final class SpooledContent {

    private final String reference;
    private final String name;
    private final BlobInfo info;
    private final Spool spool;

    SpooledContent(String reference, String name, BlobInfo info, Spool spool) {
        this.reference = reference;
        this.name = name;
        this.info = info;
        this.spool = spool;
    }

    /** What the queue rows keep: the name in the spool with the size and SHA-256, {@code <name>;<size>;<sha256>}. */
    public String reference() {
        return reference;
    }

    /** The name in the spool, e.g. {@code 20261130T151000-ab12.eml}. */
    public String name() {
        return name;
    }

    public long size() {
        return info.size();
    }

    public String sha256() {
        return info.sha256();
    }

    public BlobInfo info() {
        return info;
    }

    /**
     * The bytes; the stream throws {@link dev.sealgate.blob.BlobIntegrityException} instead of
     * ending when they are not what was stored.
     */
    public InputStream open() throws IOException {
        return spool.read(this);
    }

    /** The bytes for Jakarta Mail's parsers, checked as {@link #open()} does; close it when done. */
    public SharedContent openShared() throws IOException {
        return spool.share(this);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SpooledContent c && c.reference.equals(reference);
    }

    @Override
    public int hashCode() {
        return reference.hashCode();
    }

    @Override
    public String toString() {
        return "SpooledContent[" + reference + "]";
    }
}
