package dev.sealgate.queue;

import jakarta.mail.internet.SharedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Spooled content for Jakarta Mail's parsers ({@code new MimeMessage(session, shared)}): the body of
 * a message parsed from it stays where it is and is read part by part. Close it when the message is
 * no longer needed; that ends the working copy behind it.
 */
public final class SharedContent extends FilterInputStream implements SharedInputStream {

    private final SharedInputStream shared;

    private SharedContent(InputStream in) {
        super(in);
        this.shared = (SharedInputStream) in;
    }

    static <T extends InputStream & SharedInputStream> SharedContent of(T in) {
        return new SharedContent(in);
    }

    @Override
    public long getPosition() {
        return shared.getPosition();
    }

    @Override
    public InputStream newStream(long start, long end) {
        return shared.newStream(start, end);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
