package dev.sealgate.smtp;

import java.io.IOException;
import java.io.InputStream;

/**
 * The DATA section of an SMTP transaction, read strictly: lines end with CR LF and nothing else,
 * the end is {@code CR LF . CR LF}, leading dots are unstuffed. A bare LF or a bare CR anywhere
 * ends the session ({@link BareLineEndingException}), because a server that reads them as line
 * ends while the next hop does not lets an attacker smuggle a second message through
 * (SMTP smuggling; Postfix refuses the same with {@code smtpd_forbid_bare_newline}).
 *
 * <p>Limits: message size, line length, header-section size. On a limit the stream throws a
 * {@link LimitExceededException}; the caller then {@link #drain()}s the rest so that the session
 * stays in step and can answer with a clear reply.
 */
public final class StrictDataInputStream extends InputStream {

    /** A bare CR or LF in the data; the session cannot continue safely. */
    public static final class BareLineEndingException extends IOException {
        BareLineEndingException(String message) {
            super(message);
        }
    }

    /** A size limit was exceeded; {@link #reply()} is the SMTP reply for it. */
    public static final class LimitExceededException extends IOException {
        private final String reply;

        LimitExceededException(String reply) {
            super(reply);
            this.reply = reply;
        }

        public String reply() {
            return reply;
        }
    }

    private static final int CR = '\r';
    private static final int LF = '\n';

    private final InputStream in;
    private final long maxSize;
    private final int maxLineLength;
    private final long maxHeaderSize;

    private long size;
    private int lineLength;
    private boolean atLineStart = true;
    private boolean inHeader = true;
    private long headerSize;
    private boolean ended;
    private boolean limitsOn = true;
    /** Bytes decided but not yet handed out (a CR LF pair). */
    private int pending = -1;

    public StrictDataInputStream(InputStream in, long maxSize, int maxLineLength, long maxHeaderSize) {
        this.in = in;
        this.maxSize = maxSize;
        this.maxLineLength = maxLineLength;
        this.maxHeaderSize = maxHeaderSize;
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
                ended = true;
                return -1;
            }
            if (after == LF) {
                throw bare("LF");
            }
            b = after;
        }
        atLineStart = false;
        if (b == CR) {
            expectLf();
            atLineStart = true;
            if (inHeader && lineLength == 0) {
                inHeader = false;
            }
            lineLength = 0;
            pending = LF;
            return count(CR);
        }
        if (b == LF) {
            throw bare("LF");
        }
        lineLength++;
        if (limitsOn && lineLength > maxLineLength) {
            throw new LimitExceededException("500 5.5.2 Line longer than " + maxLineLength
                    + " octets in the message data: wrap long lines or encode the body (quoted-printable or base64)");
        }
        return count(b);
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
        int b = in.read();
        if (b < 0) {
            throw new java.io.EOFException("connection closed in the middle of DATA");
        }
        return b;
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
