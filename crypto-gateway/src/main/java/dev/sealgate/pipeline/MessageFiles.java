package dev.sealgate.pipeline;

import dev.sealgate.queue.SpooledContent;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Properties;

/** Spooled messages as Jakarta Mail messages for the S/MIME engine, and back. */
final class MessageFiles {

    private static final Session SESSION = Session.getInstance(new Properties());

    private MessageFiles() {
    }

    /** Parses the header; the body stays in the file and is read when needed. */
    static MimeMessage read(SpooledContent content) throws IOException {
        try {
            return new MimeMessage(SESSION, new SharedFileInputStream(content.path().toFile()));
        } catch (MessagingException e) {
            throw new IOException("cannot parse spooled message " + content.fileName() + ": " + e.getMessage(), e);
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
