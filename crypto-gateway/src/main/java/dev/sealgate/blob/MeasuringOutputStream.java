package dev.sealgate.blob;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Counts and hashes what passes through, for the {@link BlobInfo} that {@link BlobStore#put} returns. */
final class MeasuringOutputStream extends FilterOutputStream {

    private final MessageDigest digest = Digests.sha256();
    private long size;

    MeasuringOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        digest.update((byte) b);
        size++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        digest.update(b, off, len);
        size += len;
    }

    /** Keeps the underlying stream open: the store decides when it is complete. */
    @Override
    public void close() throws IOException {
        flush();
    }

    BlobInfo info() {
        return BlobInfo.of(size, digest.digest());
    }
}
