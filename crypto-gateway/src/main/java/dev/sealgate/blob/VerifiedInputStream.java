package dev.sealgate.blob;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A blob's bytes checked against its recorded size and SHA-256. The read that would hand out the
 * last expected byte first makes sure the source ends there and the hash matches; otherwise it
 * throws {@link BlobIntegrityException} instead of returning. A reader therefore never sees the
 * complete length with wrong content, and a download with a Content-Length is cut off short.
 */
public final class VerifiedInputStream extends InputStream {

    private final InputStream in;
    private final BlobInfo expected;
    private final String key;
    private final MessageDigest digest = Digests.sha256();
    private long count;
    private boolean verified;

    public VerifiedInputStream(InputStream in, BlobInfo expected, String key) {
        this.in = in;
        this.expected = expected;
        this.key = key;
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
        if (verified) {
            return -1;
        }
        long remaining = expected.size() - count;
        int n = in.read(b, off, (int) Math.max(1, Math.min(len, remaining)));
        if (n == -1) {
            if (count != expected.size()) {
                throw new BlobIntegrityException("blob " + key + " is truncated: " + count + " of " + expected.size()
                        + " bytes are there; restore it from a backup");
            }
            verify();
            return -1;
        }
        if (count + n > expected.size()) {
            throw tooLong();
        }
        digest.update(b, off, n);
        count += n;
        if (count == expected.size()) {
            if (in.read() != -1) {
                throw tooLong();
            }
            verify();
        }
        return n;
    }

    private BlobIntegrityException tooLong() {
        return new BlobIntegrityException("blob " + key + " is longer than the " + expected.size()
                + " bytes recorded for it: it was altered or stored with transfer framing; restore it from a backup");
    }

    private void verify() throws BlobIntegrityException {
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(expected.sha256())) {
            throw new BlobIntegrityException("blob " + key + " does not match the SHA-256 recorded for it: it was altered;"
                    + " restore it from a backup");
        }
        verified = true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
