package dev.sealgate.smtp;

import java.io.IOException;
import java.io.InputStream;

/**
 * The DATA section of an SMTP transaction, read strictly: the end is {@code CR LF . CR LF} and
 * nothing else, leading dots are unstuffed, lines are handed on ending with CR LF. A bare CR ends
 * the session ({@link BareLineEndingException}), because a server that reads it as a line end while
 * the next hop does not lets an attacker smuggle a second message through (SMTP smuggling). A bare
 * LF is, by {@link BareNewline}, either a line end like CR LF that can never start an end-of-data
 * marker ({@code normalize}, Postfix 3.9's default) or refused like a bare CR ({@code reject}).
 *
 * <p>Limits: message size, line length, header-section size; a NUL anywhere is refused (RFC 5322
 * allows none, and it cannot be stored in a database text column; see ADR 0085). On a limit the
 * stream throws a {@link RefusedDataException}; the caller then {@link #drain()}s the rest so that
 * the session stays in step and can answer with a clear reply. A failure to read from the client
 * (a timeout, a closed connection) is a {@link ClientReadException}.
 */
public final class StrictDataInputStream extends InputStream {

    /** A bare CR or LF in the data; the session cannot continue safely. */
    public static final class BareLineEndingException extends IOException {
        BareLineEndingException(String message) {
            super(message);
        }
    }

    /** The data break a rule of this server; {@link #reply()} is the SMTP reply for it. */
    public static class RefusedDataException extends IOException {
        private final String reply;

        RefusedDataException(String reply) {
            super(reply);
            this.reply = reply;
        }

        public String reply() {
            return reply;
        }
    }

    /** A size limit was exceeded. */
    public static final class LimitExceededException extends RefusedDataException {
        LimitExceededException(String reply) {
            super(reply);
        }
    }

    /** Reading from the client failed (timeout, connection closed): no reply can reach it reliably. */
    public static final class ClientReadException extends IOException {
        ClientReadException(String message, IOException cause) {
            super(message, cause);
        }
    }

    private static final int CR = '\r';
    private static final int LF = '\n';

    private final InputStream in;
    private final long maxSize;
    private final int maxLineLength;
    private final long maxHeaderSize;
    private final BareNewline bareNewline;

    private long size;
    private int lineLength;
    private boolean atLineStart = true;
    /** Whether the last line ended with CR LF: only then can a dot line end the data (the DATA line did). */
    private boolean lastLineEndedWithCrLf = true;
    private boolean inHeader = true;
    private long headerSize;
    private boolean ended;
    private boolean limitsOn = true;
    /** Bytes decided but not yet handed out (a CR LF pair). */
    private int pending = -1;
    /**
     * Bytes read ahead from the client in one call instead of one call per byte (ADR 0154). The
     * stream underneath is the session's: what follows the end of the data belongs to the next
     * command, so every block is read under a mark and what was not used goes back at the end.
     */
    private final byte[] block;
    private int blockPosition;
    private int blockLimit;

    public StrictDataInputStream(InputStream in, long maxSize, int maxLineLength, long maxHeaderSize, BareNewline bareNewline) {
        this.in = in;
        this.maxSize = maxSize;
        this.maxLineLength = maxLineLength;
        this.maxHeaderSize = maxHeaderSize;
        this.bareNewline = bareNewline;
        this.block = in.markSupported() ? new byte[8192] : new byte[1];
    }

    @Override
    public int read() throws IOException {
        if (pending >= 0) {
            int b = pending;
            pending = -1;
            return count(b);
        }
        if (ended) {
            return -1;
        }
        int b = next();
        if (atLineStart && b == '.') {
            int after = next();
            if (after == CR) {
                expectLf();
                if (lastLineEndedWithCrLf) {
                    ended = true;
                    giveBackUnread();
                    return -1;
                }
                // a dot line after a bare LF is content (normalize): unstuffed, an empty line
                return endLine(true);
            }
            if (after == LF) {
                return endLine(false);
            }
            b = after;
        }
        atLineStart = false;
        if (b == CR) {
            expectLf();
            return endLine(true);
        }
        if (b == LF) {
            return endLine(false);
        }
        if (b == 0 && limitsOn) {
            throw new RefusedDataException("554 5.6.0 Message data contains a NUL character, which Internet mail does not allow"
                    + " (RFC 5322): encode binary content (base64)");
        }
        lineLength++;
        if (limitsOn && lineLength > maxLineLength) {
            throw new LimitExceededException("500 5.5.2 Line longer than " + maxLineLength
                    + " octets in the message data: wrap long lines or encode the body (quoted-printable or base64)");
        }
        return count(b);
    }

    /** Hands out CR (then LF) for the end of a line that ended with CR LF or, when normalizing, with LF alone. */
    private int endLine(boolean crLf) throws IOException {
        if (!crLf && bareNewline == BareNewline.REJECT) {
            throw bare("LF");
        }
        atLineStart = true;
        lastLineEndedWithCrLf = crLf;
        if (inHeader && lineLength == 0) {
            inHeader = false;
        }
        lineLength = 0;
        pending = LF;
        return count(CR);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int n = 0;
        while (n < length) {
            int b = read();
            if (b < 0) {
                return n == 0 ? -1 : n;
            }
            buffer[offset + n++] = (byte) b;
        }
        return n;
    }

    /** Reads to the end of DATA without limits, so that the session can answer the next command. */
    public void drain() throws IOException {
        limitsOn = false;
        while (read() >= 0) {
            // discard: the reply for the limit goes out after the terminating dot
        }
    }

    /** Whether the terminating dot line was read. */
    public boolean ended() {
        return ended;
    }

    private int count(int b) throws LimitExceededException {
        size++;
        if (inHeader) {
            headerSize++;
            if (limitsOn && headerSize > maxHeaderSize) {
                throw new LimitExceededException("552 5.3.4 Header section larger than " + maxHeaderSize + " bytes");
            }
        }
        if (limitsOn && size > maxSize) {
            throw new LimitExceededException("552 5.3.4 Message size exceeds fixed maximum message size of " + maxSize + " bytes");
        }
        return b;
    }

    private int next() throws IOException {
        if (blockPosition == blockLimit) {
            fill();
        }
        return block[blockPosition++] & 0xff;
    }

    private void fill() throws IOException {
        int n;
        try {
            int length = 1;
            if (block.length > 1) {
                // only what has arrived: never wait for bytes the client has not sent
                length = Math.max(1, Math.min(block.length, in.available()));
                in.mark(block.length);
            }
            n = in.read(block, 0, length);
        } catch (IOException e) {
            throw new ClientReadException("reading the message data from the client failed: " + e.getMessage(), e);
        }
        if (n < 0) {
            throw new ClientReadException("connection closed in the middle of DATA", new java.io.EOFException());
        }
        blockPosition = 0;
        blockLimit = n;
    }

    /** Puts the bytes read ahead past the end of the data back into the session's stream. */
    private void giveBackUnread() throws IOException {
        if (blockPosition == blockLimit || block.length == 1) {
            return;
        }
        in.reset();
        long skip = blockPosition;
        while (skip > 0) {
            long skipped = in.skip(skip);
            if (skipped <= 0) {
                throw new IOException("could not give back the bytes after the end of the message data");
            }
            skip -= skipped;
        }
        blockLimit = blockPosition;
    }

    private void expectLf() throws IOException {
        if (next() != LF) {
            throw bare("CR");
        }
    }

    private static BareLineEndingException bare(String what) {
        return new BareLineEndingException("521 5.5.2 Bare <" + what + "> received in message data: lines must end with <CR><LF>"
                + " (refused to prevent SMTP smuggling); closing connection");
    }
}
