package dev.sealgate.smime;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Makes sure the content an S/MIME layer carried is a MIME entity before it is written after the
 * outer headers. OpenSSL (and scripts around it) often encrypt or sign bare text without a header
 * block; written as it is, its first line would become a header line of the delivered message.
 * Content whose first block is not a MIME header block (header fields only, one of them
 * {@code Content-*} or {@code MIME-Version}, ended by an empty line within the first 64 KiB) gets
 * {@code Content-Type: text/plain} and an empty line in front of it. Streams: only the head is
 * buffered. Call {@link #finish()} once everything is written.
 */
final class EntityHeaderGuard extends FilterOutputStream {

    static final int PEEK_LIMIT = 64 * 1024;

    private ByteArrayOutputStream head = new ByteArrayOutputStream();
    private boolean sawHeaderFields;

    EntityHeaderGuard(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (head == null) {
            out.write(b, off, len);
            return;
        }
        head.write(b, off, len);
        byte[] seen = head.toByteArray();
        int end = endOfHeaderBlock(seen);
        if (end >= 0) {
            decide(seen, end);
        } else if (seen.length > PEEK_LIMIT) {
            decide(seen, -1);
        }
    }

    /** Writes what is still held back; the content is complete. */
    void finish() throws IOException {
        if (head != null) {
            byte[] seen = head.toByteArray();
            decide(seen, endOfHeaderBlock(seen));
        }
        out.flush();
    }

    /** Whether the content came without a header block and got one. */
    boolean addedHeader() {
        return head == null && !sawHeaderFields;
    }

    @Override
    public void flush() {
        // nothing is flushed before the decision: the head is held back on purpose
    }

    private void decide(byte[] seen, int endOfHeaders) throws IOException {
        head = null;
        sawHeaderFields = endOfHeaders >= 0 && isMimeHeaderBlock(new String(seen, 0, endOfHeaders, StandardCharsets.ISO_8859_1));
        if (!sawHeaderFields) {
            StringBuilder header = new StringBuilder("Content-Type: text/plain\r\n");
            for (byte b : seen) {
                if (b < 0) {
                    header.append("Content-Transfer-Encoding: 8bit\r\n");
                    break;
                }
            }
            out.write(header.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        }
        out.write(seen);
    }

    /** Index of the first byte after the first empty line (CRLF or LF), or -1 when none was seen yet. */
    private static int endOfHeaderBlock(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] != '\n') {
                continue;
            }
            if (i == 0 || (i == 1 && b[0] == '\r')) {
                return i + 1;
            }
            if (b[i - 1] == '\n' || (b[i - 1] == '\r' && i >= 2 && b[i - 2] == '\n')) {
                return i + 1;
            }
        }
        return -1;
    }

    /** Header fields (and folded continuations) only, one of them a MIME one; an empty block is a header block too. */
    static boolean isMimeHeaderBlock(String block) {
        String[] lines = block.split("\r?\n", -1);
        boolean mime = false;
        boolean any = false;
        for (String line : lines) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (!any) {
                    return false;
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return false;
            }
            String name = line.substring(0, colon);
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c < 33 || c > 126) {
                    return false;
                }
            }
            any = true;
            String lower = name.toLowerCase(Locale.ROOT);
            mime |= lower.startsWith("content-") || lower.equals("mime-version");
        }
        return !any || mime;
    }
}
