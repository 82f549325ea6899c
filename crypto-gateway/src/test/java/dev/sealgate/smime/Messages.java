package dev.sealgate.smime;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Builds and reads test messages. */
public final class Messages {

    public static final Session SESSION = Session.getInstance(new Properties());

    private Messages() {
    }

    /** A small text message from {@code from}, parsed from wire bytes like one from the spool. */
    public static MimeMessage text(String from, String body) {
        return parse("From: " + from + "\r\nTo: bob@partner.example\r\nSubject: test\r\nMessage-ID: <t1@sealgate.test>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
                + body + "\r\n");
    }

    /** A multipart/mixed message with a text part and a small binary attachment. */
    public static MimeMessage withAttachment(String from) {
        try {
            MimeMessage m = new MimeMessage(SESSION);
            m.setFrom(from);
            m.setRecipients(jakarta.mail.Message.RecipientType.TO, "bob@partner.example");
            m.setSubject("with attachment");
            MimeMultipart mp = new MimeMultipart();
            MimeBodyPart text = new MimeBodyPart();
            text.setText("see attached\r\n", "utf-8");
            MimeBodyPart att = new MimeBodyPart();
            byte[] data = new byte[3000];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) i;
            }
            att.setContent(data, "application/octet-stream");
            att.setFileName("data.bin");
            mp.addBodyPart(text);
            mp.addBodyPart(att);
            m.setContent(mp);
            m.saveChanges();
            return reparse(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static MimeMessage parse(String wire) {
        return parse(wire.getBytes(StandardCharsets.UTF_8));
    }

    public static MimeMessage parse(byte[] wire) {
        try {
            return new MimeMessage(SESSION, new ByteArrayInputStream(wire));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static MimeMessage read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new MimeMessage(SESSION, in);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] bytes(MimeMessage m) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            m.writeTo(out);
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String string(MimeMessage m) {
        return new String(bytes(m), StandardCharsets.UTF_8);
    }

    public static void write(MimeMessage m, Path file) throws IOException {
        Files.write(file, bytes(m));
    }

    public static MimeMessage reparse(MimeMessage m) {
        return parse(bytes(m));
    }

    /** The decoded text of a single-part message, or of the first part of a multipart. */
    public static String textOf(MimeMessage m) {
        try {
            Object c = m.getContent();
            if (c instanceof MimeMultipart mp) {
                return String.valueOf(mp.getBodyPart(0).getContent());
            }
            return String.valueOf(c);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
