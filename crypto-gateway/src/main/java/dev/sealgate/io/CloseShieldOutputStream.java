package dev.sealgate.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Hands a stream to code that closes what it is given (encoders, CMS generators, a blob writer's
 * callback) while the caller keeps the underlying stream open: closing this one only flushes.
 * Writes go through in blocks, not byte by byte as {@link FilterOutputStream} would.
 */
public final class CloseShieldOutputStream extends FilterOutputStream {

    public CloseShieldOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
