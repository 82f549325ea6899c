package dev.sealgate.queue;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bodies this node wrote to the spool most recently, kept in memory up to a total size: the
 * steps of the pipeline and the delivery of the same message read them from here instead of
 * opening and decrypting the stored blob again (ADR 0151). The bytes are the ones that were
 * written and hashed; the stored blob stays the durable copy that every other reader checks.
 * Oldest first out; never holds more than {@code maxBytes}.
 */
final class RecentBodies {

    private final long maxBytes;
    private final LinkedHashMap<String, byte[]> bodies = new LinkedHashMap<>();
    private long bytes;

    RecentBodies(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    synchronized void put(String name, byte[] body) {
        if (body.length > maxBytes) {
            return;
        }
        byte[] old = bodies.put(name, body);
        bytes += body.length - (old == null ? 0 : old.length);
        for (Iterator<byte[]> it = bodies.values().iterator(); bytes > maxBytes && it.hasNext(); ) {
            bytes -= it.next().length;
            it.remove();
        }
    }

    /** The body when it is here and of the expected size; null otherwise. */
    synchronized byte[] get(String name, long size) {
        byte[] body = bodies.get(name);
        return body != null && body.length == size ? body : null;
    }

    synchronized void remove(String name) {
        byte[] old = bodies.remove(name);
        if (old != null) {
            bytes -= old.length;
        }
    }

    synchronized long size() {
        return bytes;
    }

    /** Copies what passes through a stream, until it exceeds a limit. */
    static final class Capture {
        private final int limit;
        private ByteArrayOutputStream copy = new ByteArrayOutputStream(16 * 1024);

        Capture(int limit) {
            this.limit = limit;
        }

        OutputStream tee(OutputStream out) {
            return new FilterOutputStream(out) {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    capture(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    capture(b, off, len);
                }

                @Override
                public void close() {
                    // the blob store closes the stream underneath itself
                }
            };
        }

        private void capture(byte[] b, int off, int len) {
            if (copy == null) {
                return;
            }
            if (copy.size() + len > limit) {
                copy = null;
                return;
            }
            copy.write(b, off, len);
        }

        /** What went through, or null when it was more than the limit. */
        byte[] bytes() {
            return copy == null ? null : copy.toByteArray();
        }
    }
}
