package dev.sealgate.blob;

import dev.sealgate.certs.MasterKey;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption at rest for any {@link BlobStore}: each blob gets its own random AES-256 key, wrapped
 * (AES-GCM) under a key derived from the master key with the blob's key as associated data, and its
 * bytes are sealed in AES-GCM segments of 64 KiB, so that no blob ever sits in memory whole. A
 * segment's nonce is a random per-blob prefix, the segment's number and a flag for the last segment
 * (the STREAM construction): a blob cut short, segments swapped, bytes flipped, or a blob copied to
 * another key do not decrypt, and the read fails with {@link BlobIntegrityException}.
 *
 * <pre>
 * "SGB1" | segment size (int) | wrap nonce (12) | wrapped key (32 + 16 tag) | nonce prefix (7)
 * then segments: ciphertext of segment-size bytes (the last one: 0..segment-size) + 16-byte tag
 * </pre>
 *
 * Sizes and hashes that callers see ({@link BlobInfo}) are those of the plain bytes. See
 * docs/adr/0101-blob-encryption-at-rest.md.
 */
public final class EncryptedBlobStore implements BlobStore, AutoCloseable {

    static final int SEGMENT = 64 * 1024;
    private static final byte[] MAGIC = "SGB1".getBytes(StandardCharsets.US_ASCII);
    private static final int TAG = 16;
    private static final int NONCE = 12;
    private static final int PREFIX = 7;
    private static final int KEY = 32;
    private static final int HEADER = MAGIC.length + 4 + NONCE + KEY + TAG + PREFIX;

    /**
     * One spare AES-GCM cipher per thread: {@code Cipher.getInstance} looks the provider up each
     * time, for every blob twice (ADR 0196). A cipher is taken for one wrap or one blob's sealing and
     * given back after; a nested use on the same thread finds none spare and makes its own. Every
     * use initialises it with its own key and fresh nonce.
     */
    private static final ThreadLocal<Cipher[]> SPARE = ThreadLocal.withInitial(() -> new Cipher[1]);

    private static Cipher takeCipher() {
        Cipher[] slot = SPARE.get();
        Cipher cipher = slot[0];
        if (cipher != null) {
            slot[0] = null;
            return cipher;
        }
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    private static void giveBack(Cipher cipher) {
        SPARE.get()[0] = cipher;
    }

    private final BlobStore raw;
    private final SecretKey keyEncryptionKey;
    private final SecureRandom random = new SecureRandom();

    public EncryptedBlobStore(BlobStore raw, MasterKey masterKey) {
        this.raw = raw;
        this.keyEncryptionKey = masterKey.deriveKey("blob-store");
        warmUpInBackground();
    }

    private static final java.util.concurrent.atomic.AtomicBoolean WARMED_UP = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Once per JVM, on a low-priority daemon thread: enough small AES-GCM encryptions for the JIT
     * to compile the GCM code with its AES and GHASH intrinsics. Without it, the first thousands of
     * bodies are sealed by GHASH's Java fallback, several times slower (ADR 0153). Throwaway key,
     * nothing stored.
     */
    private static void warmUpInBackground() {
        if (!WARMED_UP.compareAndSet(false, true)) {
            return;
        }
        Thread warmUp = new Thread(() -> {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                SecretKeySpec key = new SecretKeySpec(new byte[KEY], "AES");
                byte[] in = new byte[1024];
                byte[] out = new byte[in.length + TAG];
                byte[] nonce = new byte[NONCE];
                for (int i = 0; i < 30_000; i++) {
                    ByteBuffer.wrap(nonce).putInt(i);
                    cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
                    cipher.doFinal(in, 0, in.length, out, 0);
                }
            } catch (GeneralSecurityException e) {
                // only the first bodies are slower
            }
        }, "sealgate-cipher-warm-up");
        warmUp.setDaemon(true);
        warmUp.setPriority(Thread.MIN_PRIORITY);
        warmUp.start();
    }

    /** The store underneath, holding only ciphertext. */
    public BlobStore raw() {
        return raw;
    }

    @Override
    public BlobInfo put(String key, Writer writer) throws IOException {
        BlobStore.checkKey(key);
        BlobInfo[] plain = new BlobInfo[1];
        raw.putUnmeasured(key, out -> {
            byte[] dataKey = new byte[KEY];
            byte[] wrapNonce = new byte[NONCE];
            byte[] prefix = new byte[PREFIX];
            random.nextBytes(dataKey);
            random.nextBytes(wrapNonce);
            random.nextBytes(prefix);
            try {
                ByteBuffer header = ByteBuffer.allocate(HEADER).put(MAGIC).putInt(SEGMENT).put(wrapNonce);
                header.put(wrap(dataKey, wrapNonce, key)).put(prefix);
                out.write(header.array());
                try (SealingOutputStream sealing = new SealingOutputStream(out, new SecretKeySpec(dataKey, "AES"), prefix)) {
                    MeasuringOutputStream measuring = new MeasuringOutputStream(sealing);
                    writer.writeTo(measuring);
                    measuring.flush();
                    plain[0] = measuring.info();
                }
            } finally {
                Arrays.fill(dataKey, (byte) 0);
            }
        });
        return plain[0];
    }

    @Override
    public InputStream get(String key) throws IOException {
        BlobStore.checkKey(key);
        InputStream in = raw.get(key);
        try {
            DataInputStream data = new DataInputStream(in);
            byte[] header = new byte[HEADER];
            data.readFully(header);
            ByteBuffer h = ByteBuffer.wrap(header);
            byte[] magic = new byte[MAGIC.length];
            h.get(magic);
            int segment = h.getInt();
            if (!Arrays.equals(magic, MAGIC) || segment <= 0 || segment > 16 * 1024 * 1024) {
                throw new BlobIntegrityException("blob " + key + " is not in the encrypted blob format of this version");
            }
            byte[] wrapNonce = new byte[NONCE];
            byte[] wrapped = new byte[KEY + TAG];
            byte[] prefix = new byte[PREFIX];
            h.get(wrapNonce).get(wrapped).get(prefix);
            byte[] dataKey = unwrap(wrapped, wrapNonce, key);
            try {
                return new OpeningInputStream(in, new SecretKeySpec(dataKey, "AES"), prefix, segment, key);
            } finally {
                Arrays.fill(dataKey, (byte) 0);
            }
        } catch (EOFException e) {
            in.close();
            throw new BlobIntegrityException("blob " + key + " is truncated: its header is incomplete", e);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public void delete(String key) throws IOException {
        raw.delete(key);
    }

    @Override
    public boolean exists(String key) throws IOException {
        return raw.exists(key);
    }

    @Override
    public List<Listed> list(String prefix) throws IOException {
        return raw.list(prefix);
    }

    /** Closes the store underneath when it holds connections (S3). */
    @Override
    public void close() throws Exception {
        if (raw instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    private byte[] wrap(byte[] dataKey, byte[] nonce, String key) {
        Cipher cipher = takeCipher();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, keyEncryptionKey, new GCMParameterSpec(TAG * 8, nonce));
            cipher.updateAAD(binding(key));
            byte[] wrapped = cipher.doFinal(dataKey);
            giveBack(cipher);
            return wrapped;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    private byte[] unwrap(byte[] wrapped, byte[] nonce, String key) throws BlobIntegrityException {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, keyEncryptionKey, new GCMParameterSpec(TAG * 8, nonce));
            cipher.updateAAD(binding(key));
            return cipher.doFinal(wrapped);
        } catch (AEADBadTagException e) {
            throw new BlobIntegrityException("the key of blob " + key + " does not decrypt under the configured master key"
                    + " (wrong sealgate.master-key, or the blob was altered or stored under another key)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    private static byte[] binding(String key) {
        ByteArrayOutputStream aad = new ByteArrayOutputStream();
        aad.writeBytes(MAGIC);
        aad.writeBytes(key.getBytes(StandardCharsets.UTF_8));
        return aad.toByteArray();
    }

    private static GCMParameterSpec segmentNonce(byte[] prefix, long index, boolean last) throws BlobIntegrityException {
        if (index > 0xffffffffL) {
            throw new BlobIntegrityException("blob has more than 2^32 segments");
        }
        byte[] nonce = ByteBuffer.allocate(NONCE).put(prefix).putInt((int) index).put((byte) (last ? 1 : 0)).array();
        return new GCMParameterSpec(TAG * 8, nonce);
    }

    /** Buffers one segment; seals it as "not last" only once more bytes arrive, and the rest as "last" on close. */
    private static final class SealingOutputStream extends OutputStream {

        private final OutputStream out;
        private final SecretKey key;
        private final byte[] prefix;
        /** Grows to a segment as bytes come: a 10 KiB body needs no 128 KiB of buffers (ADR 0196). */
        private byte[] buffer = new byte[16 * 1024];
        private byte[] sealed = new byte[0];
        private final Cipher cipher;
        private int filled;
        private long index;
        private boolean closed;

        SealingOutputStream(OutputStream out, SecretKey key, byte[] prefix) {
            this.out = out;
            this.key = key;
            this.prefix = prefix;
            this.cipher = takeCipher();
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (filled == SEGMENT) {
                    seal(false);
                }
                if (filled == buffer.length) {
                    byte[] larger = Arrays.copyOf(buffer, Math.min(SEGMENT, buffer.length * 2));
                    Arrays.fill(buffer, (byte) 0);
                    buffer = larger;
                }
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void seal(boolean last) throws IOException {
            try {
                cipher.init(Cipher.ENCRYPT_MODE, key, segmentNonce(prefix, index++, last));
                if (sealed.length < filled + TAG) {
                    sealed = new byte[buffer.length + TAG];
                }
                int n = cipher.doFinal(buffer, 0, filled, sealed, 0);
                out.write(sealed, 0, n);
                filled = 0;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM sealing failed", e);
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                seal(true);
                Arrays.fill(buffer, (byte) 0);
                giveBack(cipher);
                out.flush();
            }
        }
    }

    /** Reads a segment ahead, so it knows whether the one it opens is the last. */
    private static final class OpeningInputStream extends InputStream {

        private final InputStream in;
        private final SecretKey key;
        private final byte[] prefix;
        private final String blobKey;
        private final Cipher cipher;
        private final byte[] sealed;
        private final byte[] plain;
        private final byte[] lookahead = new byte[1];
        private boolean haveLookahead;
        private int position;
        private int available;
        private long index;
        private boolean finished;

        OpeningInputStream(InputStream in, SecretKey key, byte[] prefix, int segment, String blobKey) {
            this.in = in;
            this.key = key;
            this.prefix = prefix;
            this.blobKey = blobKey;
            this.sealed = new byte[segment + TAG];
            this.plain = new byte[segment];
            try {
                this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM is not available in this JVM", e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (position == available) {
                if (finished) {
                    return -1;
                }
                next();
            }
            int n = Math.min(len, available - position);
            System.arraycopy(plain, position, b, off, n);
            position += n;
            return n;
        }

        private void next() throws IOException {
            int n = 0;
            if (haveLookahead) {
                sealed[n++] = lookahead[0];
                haveLookahead = false;
            }
            n += in.readNBytes(sealed, n, sealed.length - n);
            boolean last;
            if (n < sealed.length) {
                last = true;
            } else {
                int more = in.read();
                last = more == -1;
                if (!last) {
                    lookahead[0] = (byte) more;
                    haveLookahead = true;
                }
            }
            if (n < TAG) {
                throw new BlobIntegrityException("blob " + blobKey + " is truncated: segment " + index + " is incomplete");
            }
            try {
                cipher.init(Cipher.DECRYPT_MODE, key, segmentNonce(prefix, index, last));
                available = cipher.doFinal(sealed, 0, n, plain, 0);
                position = 0;
                index++;
                finished = last;
            } catch (AEADBadTagException e) {
                throw new BlobIntegrityException("blob " + blobKey + " was truncated, reordered or altered (segment " + index
                        + " does not authenticate); restore it from a backup");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM opening failed", e);
            }
        }

        @Override
        public void close() throws IOException {
            Arrays.fill(plain, (byte) 0);
            in.close();
        }
    }
}
