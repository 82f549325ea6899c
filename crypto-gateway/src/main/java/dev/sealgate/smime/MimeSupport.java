package dev.sealgate.smime;

import dev.sealgate.io.CloseShieldOutputStream;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.ParseException;
import jakarta.mail.util.SharedByteArrayInputStream;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/** MIME plumbing shared by the engine's operations; package-private. */
final class MimeSupport {

    static final byte[] CRLF = {'\r', '\n'};
    /**
     * Jakarta Mail reads header bytes into chars one to one (without mail.mime.allowutf8), so writing
     * them back as ISO-8859-1 reproduces raw 8-bit headers byte for byte; UTF-8 would re-encode them
     * and break signatures made by others.
     */
    static final java.nio.charset.Charset HEADER_CHARSET = StandardCharsets.ISO_8859_1;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Session SESSION = Session.getInstance(new Properties());

    private MimeSupport() {
    }

    static boolean isContentHeader(String name) {
        return name.regionMatches(true, 0, "Content-", 0, 8);
    }

    /** Writes the message headers that stay outside the S/MIME layer: all but Content-* and MIME-Version. */
    static void writeOuterHeaders(MimeMessage message, OutputStream out) throws MessagingException, IOException {
        Enumeration<Header> headers = message.getAllHeaders();
        List<String> outer = new ArrayList<>();
        while (headers.hasMoreElements()) {
            String name = headers.nextElement().getName();
            if (!isContentHeader(name) && !name.equalsIgnoreCase("MIME-Version")) {
                outer.add(name);
            }
        }
        Enumeration<String> lines = message.getMatchingHeaderLines(outer.toArray(new String[0]));
        while (lines.hasMoreElements()) {
            out.write(lines.nextElement().getBytes(MimeSupport.HEADER_CHARSET));
            out.write(CRLF);
        }
    }

    /**
     * Writes the MIME entity an S/MIME layer protects: the Content-* headers and the body,
     * body bytes as they are (no re-encoding), line endings canonical CRLF.
     */
    static void writeContentEntity(MimePart part, OutputStream out) throws MessagingException, IOException {
        if (part instanceof MimeMessage m && !hasRawContent(m)) {
            // Built in code, never written: let Jakarta Mail settle Content-Type and transfer encoding first.
            m.saveChanges();
        }
        CanonicalOutputStream canonical = new CanonicalOutputStream(out);
        Enumeration<String> lines = part.getAllHeaderLines();
        while (lines.hasMoreElements()) {
            String line = lines.nextElement();
            int colon = line.indexOf(':');
            if (colon > 0 && isContentHeader(line.substring(0, colon).trim())) {
                canonical.write(line.getBytes(MimeSupport.HEADER_CHARSET));
                canonical.write(CRLF);
            }
        }
        canonical.write(CRLF);
        try (InputStream body = rawBody(part)) {
            body.transferTo(canonical);
        }
        canonical.flush();
    }

    private static boolean hasRawContent(MimeMessage m) {
        try {
            m.getRawInputStream().close();
            return true;
        } catch (MessagingException | IOException e) {
            return false;
        }
    }

    /** The body bytes as transferred (not decoded); works for parsed and for built parts. */
    static InputStream rawBody(MimePart part) throws MessagingException, IOException {
        if (part instanceof MimeMessage m) {
            try {
                return m.getRawInputStream();
            } catch (MessagingException noParsedContent) {
                return encodedFromDataHandler(part);
            }
        }
        if (part instanceof jakarta.mail.internet.MimeBodyPart b) {
            try {
                return b.getRawInputStream();
            } catch (MessagingException noParsedContent) {
                return encodedFromDataHandler(part);
            }
        }
        return encodedFromDataHandler(part);
    }

    private static InputStream encodedFromDataHandler(MimePart part) throws MessagingException, IOException {
        // A message built in code (setText, setContent) has no raw bytes yet; let Jakarta Mail
        // encode it, then cut off the headers it writes.
        Buffer buffer = new Buffer();
        jakarta.mail.internet.MimeBodyPart copy = new jakarta.mail.internet.MimeBodyPart();
        copy.setDataHandler(part.getDataHandler());
        String encoding = part.getEncoding();
        String type = part.getContentType();
        if (type != null) {
            copy.setHeader("Content-Type", type);
        }
        if (encoding != null) {
            copy.setHeader("Content-Transfer-Encoding", encoding);
        }
        copy.writeTo(buffer);
        byte[] all = buffer.bytes();
        int start = bodyStart(all, buffer.size());
        return new java.io.ByteArrayInputStream(all, start, buffer.size() - start);
    }

    private static int bodyStart(byte[] b, int len) {
        for (int i = 0; i + 3 < len; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return len;
    }

    static ContentType contentType(MimePart part) throws MessagingException {
        String value = part.getHeader("Content-Type", null);
        if (value == null) {
            return new ContentType("text", "plain", null);
        }
        try {
            return new ContentType(value);
        } catch (ParseException e) {
            throw new SmimeFormatException("unparseable Content-Type '" + oneLine(value)
                    + "': the message is malformed; ask the sender to resend", e);
        }
    }

    static String baseType(MimePart part) throws MessagingException {
        return contentType(part).getBaseType().toLowerCase(Locale.ROOT);
    }

    static String newBoundary() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return "----=_sealgate_" + HexFormat.of().formatHex(b);
    }

    static void writeLine(OutputStream out, String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
    }

    /**
     * Base64 in 76-character CRLF lines; closing it ends the last line but leaves {@code out} open.
     * The encoder writes every line and every line end on its own (2,500 writes for 70 KB); they
     * reach {@code target} in blocks of 8 KiB, since each write below costs (a digest update, a
     * cipher update, a copy for the spool).
     */
    static OutputStream base64(OutputStream target) {
        OutputStream shield = new java.io.BufferedOutputStream(new CloseShieldOutputStream(target), 8192);
        OutputStream encoder = Base64.getMimeEncoder().wrap(shield);
        return new FilterOutputStream(encoder) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                encoder.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                encoder.close();
                target.write(CRLF);
                target.flush();
            }
        };
    }

    static String oneLine(String s) {
        String flat = s.replaceAll("[\\r\\n\\t]+", " ");
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }

    /** Parses a message from bytes already in memory without copying them. */
    static MimeMessage parse(byte[] bytes, int length) {
        try {
            return new MimeMessage(SESSION, new SharedByteArrayInputStream(bytes, 0, length));
        } catch (MessagingException e) {
            throw new SmimeFormatException("the produced message does not parse: " + oneLine(String.valueOf(e.getMessage())), e);
        }
    }

    /** A byte buffer that can hand its content to a parser without a copy. */
    static final class Buffer extends ByteArrayOutputStream {
        byte[] bytes() {
            return buf;
        }

        MimeMessage toMessage() {
            return parse(buf, count);
        }

        InputStream toInputStream() {
            return new java.io.ByteArrayInputStream(buf, 0, count);
        }
    }

    /** Turns bare LF (and bare CR) into CRLF: the canonical form S/MIME signs and encrypts. */
    static final class CanonicalOutputStream extends FilterOutputStream {
        private int last = -1;

        CanonicalOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (b == '\n' && last != '\r') {
                out.write('\r');
            } else if (last == '\r' && b != '\n') {
                out.write('\n');
            }
            out.write(b);
            last = b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int start = off;
            int end = off + len;
            int previous = last;
            // every byte of every message passes here: one comparison per byte in the common case
            for (int i = off; i < end; i++) {
                byte c = b[i];
                if (c == '\n') {
                    if (previous != '\r') {
                        out.write(b, start, i - start);
                        out.write('\r');
                        start = i;
                    }
                } else if (previous == '\r') {
                    out.write(b, start, i - start);
                    out.write('\n');
                    start = i;
                }
                previous = c;
            }
            out.write(b, start, end - start);
            if (len > 0) {
                last = b[end - 1];
            }
        }
    }

    /** Reads an InputStream with the same canonicalisation as {@link CanonicalOutputStream}. */
    static InputStream canonical(InputStream in) {
        return new InputStream() {
            private final byte[] raw = new byte[8192];
            private final byte[] cooked = new byte[2 * 8192];
            private int pos;
            private int limit;
            private int last = -1;
            private boolean eof;

            private boolean fill() throws IOException {
                while (pos >= limit) {
                    if (eof) {
                        return false;
                    }
                    int n = in.read(raw);
                    if (n < 0) {
                        eof = true;
                        return false;
                    }
                    int k = 0;
                    for (int i = 0; i < n; i++) {
                        byte c = raw[i];
                        if (c == '\n' && last != '\r') {
                            cooked[k++] = '\r';
                        } else if (last == '\r' && c != '\n') {
                            cooked[k++] = '\n';
                        }
                        cooked[k++] = c;
                        last = c;
                    }
                    pos = 0;
                    limit = k;
                }
                return true;
            }

            @Override
            public int read() throws IOException {
                return fill() ? cooked[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(len, limit - pos);
                System.arraycopy(cooked, pos, buf, off, n);
                pos += n;
                return n;
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }
}
