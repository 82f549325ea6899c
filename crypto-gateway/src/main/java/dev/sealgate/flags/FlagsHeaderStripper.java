package dev.sealgate.flags;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies a message and leaves out every {@code X-Sealgate-Flags} and {@code X-Sealgate-Correlation}
 * header field (with its folded continuation lines). Streams: only one header line is held at a time, the body is copied as is.
 */
final class FlagsHeaderStripper {

    private static final byte[][] NAMES = {name(FlagsToken.HEADER), name(FlagsToken.CORRELATION_HEADER)};

    private FlagsHeaderStripper() {
    }

    static void strip(InputStream in, OutputStream out) throws IOException {
        boolean dropping = false;
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        while (true) {
            line.reset();
            int b;
            while ((b = in.read()) != -1) {
                line.write(b);
                if (b == '\n') {
                    break;
                }
            }
            byte[] bytes = line.toByteArray();
            if (bytes.length == 0) {
                return;
            }
            boolean continuation = bytes[0] == ' ' || bytes[0] == '\t';
            boolean endOfHeader = bytes[0] == '\r' || bytes[0] == '\n';
            if (endOfHeader) {
                out.write(bytes);
                in.transferTo(out);
                return;
            }
            if (!continuation) {
                dropping = startsWithName(bytes, NAMES[0]) || startsWithName(bytes, NAMES[1]);
            }
            if (!dropping) {
                out.write(bytes);
            }
            if (b == -1) {
                return;
            }
        }
    }

    private static byte[] name(String header) {
        return (header + ":").toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean startsWithName(byte[] line, byte[] name) {
        if (line.length < name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (Character.toLowerCase(line[i]) != name[i]) {
                return false;
            }
        }
        return true;
    }
}
