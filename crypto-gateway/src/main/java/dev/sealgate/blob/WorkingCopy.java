package dev.sealgate.blob;

import jakarta.mail.internet.SharedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;

/**
 * A blob's bytes with random access, for Jakarta Mail's {@link SharedInputStream}: a MIME message
 * parsed from it keeps its body where it is and reads each part when needed, so a 100 MB message
 * never sits in the heap. The bytes (already checked against their size and SHA-256) are copied into
 * a temporary file encrypted with AES-CTR under a key that exists only in this object's memory, so
 * even the working copy reveals nothing once the process is gone; CTR lets any offset be read
 * directly. {@link #close()} deletes the file.
 */
public final class WorkingCopy implements AutoCloseable {

    private static final int BLOCK = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final FileChannel channel;
    private final SecretKey key;
    private final byte[] nonce;
    private final long size;

    private WorkingCopy(Path file, FileChannel channel, SecretKey key, byte[] nonce, long size) {
        this.file = file;
        this.channel = channel;
        this.key = key;
        this.nonce = nonce;
        this.size = size;
    }

    /** Copies {@code content} into a new working copy under {@code directory}; the caller closes both. */
    public static WorkingCopy of(InputStream content, Path directory) throws IOException {
        SecretKey key;
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, RANDOM);
            key = generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available in this JVM", e);
        }
        byte[] nonce = new byte[8];
        RANDOM.nextBytes(nonce);
        Files.createDirectories(directory);
        Path file = directory.resolve("work-" + UUID.randomUUID());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        try {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
            Cipher cipher = cipher(key, nonce, 0);
            byte[] plain = new byte[64 * 1024];
            long size = 0;
            for (int n; (n = content.read(plain)) != -1; ) {
                out.write(cipher.update(plain, 0, n));
                size += n;
            }
            out.write(finish(cipher));
            out.flush();
            return new WorkingCopy(file, channel, key, nonce, size);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    public long size() {
        return size;
    }

    /** The whole copy as a stream; closing it closes (and deletes) the working copy. */
    public Part open() {
        return new Part(0, size, true);
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static byte[] finish(Cipher cipher) {
        try {
            return cipher.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR failed", e);
        }
    }

    private static Cipher cipher(SecretKey key, byte[] nonce, long block) {
        try {
            byte[] iv = ByteBuffer.allocate(BLOCK).put(nonce).putLong(block).array();
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is not available in this JVM", e);
        }
    }

    /** A range of the working copy, as Jakarta Mail's parsers want it: buffered, markable, splittable. */
    public final class Part extends InputStream implements SharedInputStream {

        private final long start;
        private final long end;
        private final boolean root;
        private final byte[] buffer = new byte[8192];
        private long bufferOffset = -1;
        private int bufferLength;
        private long position;
        private long mark;

        private Part(long start, long end, boolean root) {
            this.start = start;
            this.end = end;
            this.root = root;
        }

        @Override
        public long getPosition() {
            return position;
        }

        @Override
        public InputStream newStream(long from, long to) {
            if (from < 0) {
                throw new IllegalArgumentException("start < 0");
            }
            long absoluteEnd = to == -1 ? end : Math.min(end, start + to);
            return new Part(Math.min(start + from, absoluteEnd), absoluteEnd, false);
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            int b = buffer[(int) (start + position - bufferOffset)] & 0xff;
            position++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int from = (int) (start + position - bufferOffset);
            int n = (int) Math.min(Math.min(len, bufferLength - from), end - start - position);
            System.arraycopy(buffer, from, b, off, n);
            position += n;
            return n;
        }

        /** Makes sure the byte at the current position is in the buffer; false at the end of the range. */
        private boolean fill() throws IOException {
            long absolute = start + position;
            if (absolute >= end) {
                return false;
            }
            if (bufferOffset >= 0 && absolute >= bufferOffset && absolute < bufferOffset + bufferLength) {
                return true;
            }
            long aligned = absolute - absolute % BLOCK;
            int length = (int) Math.min(buffer.length, size - aligned);
            ByteBuffer encrypted = ByteBuffer.allocate(length);
            while (encrypted.hasRemaining()) {
                if (channel.read(encrypted, aligned + encrypted.position()) < 0) {
                    throw new IOException("working copy " + file + " is shorter than written");
                }
            }
            try {
                cipher(key, nonce, aligned / BLOCK).doFinal(encrypted.array(), 0, length, buffer, 0);
            } catch (ShortBufferException e) {
                throw new IllegalStateException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-CTR failed", e);
            }
            bufferOffset = aligned;
            bufferLength = length;
            return true;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, end - start - position));
            position += skipped;
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - start - position);
        }

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public synchronized void mark(int readLimit) {
            mark = position;
        }

        @Override
        public synchronized void reset() {
            position = mark;
        }

        /** Closing the whole copy's stream ends the working copy; closing a part of it does nothing. */
        @Override
        public void close() throws IOException {
            if (root) {
                WorkingCopy.this.close();
            }
        }
    }
}
