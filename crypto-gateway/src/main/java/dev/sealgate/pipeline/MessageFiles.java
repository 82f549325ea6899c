package dev.sealgate.pipeline;

import dev.sealgate.queue.SharedContent;
import dev.sealgate.queue.SpooledContent;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Properties;

/** Spooled messages as Jakarta Mail messages for the S/MIME engine, and back. */
final class MessageFiles {

    private static final Session SESSION = Session.getInstance(new Properties());

    /**
     * A spooled message parsed for a step, with the stream its body is read from: close it when the
     * step is done with the message (issue 8: the spool files stayed open until garbage collection).
     */
    record SpooledMessage(MimeMessage mime, SharedContent source) implements AutoCloseable {

        @Override
        public void close() throws IOException {
            source.close();
        }
    }

    private MessageFiles() {
    }

    /** Parses the header; the body stays in the spool (or its working copy) and is read when needed. */
    static SpooledMessage read(SpooledContent content) throws IOException {
        try {
            return open(content);
        } catch (MessagingException e) {
            throw new IOException("cannot parse spooled message " + content.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #read}, but a header that does not parse gives empty instead of an exception (the
     * intake takes such a message and lets the steps judge it, as before).
     */
    static java.util.Optional<SpooledMessage> readIfParsable(SpooledContent content) throws IOException {
        try {
            return java.util.Optional.of(open(content));
        } catch (MessagingException e) {
            return java.util.Optional.empty();
        }
    }

    /** The parse both of the above share; the source is closed when the parse fails. */
    private static SpooledMessage open(SpooledContent content) throws IOException, MessagingException {
        SharedContent source = content.openShared();
        try {
            return new SpooledMessage(new MimeMessage(SESSION, source), source);
        } catch (MessagingException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    static MimeMessage parse(byte[] bytes) {
        try {
            return new MimeMessage(SESSION, new ByteArrayInputStream(bytes));
        } catch (MessagingException e) {
            throw new IllegalArgumentException("the S/MIME engine returned a message that does not parse: " + e.getMessage(), e);
        }
    }

    /** Writes the message with its header as changed and its body as parsed (no re-encoding). */
    static void write(MimeMessage message, OutputStream out) throws IOException {
        try {
            message.writeTo(out);
        } catch (MessagingException e) {
            throw new IOException("cannot write message: " + e.getMessage(), e);
        }
    }
}
