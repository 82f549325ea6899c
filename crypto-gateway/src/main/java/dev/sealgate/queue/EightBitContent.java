package dev.sealgate.queue;

import jakarta.activation.DataHandler;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Properties;

/**
 * 8-bit content and next hops without 8BITMIME (RFC 6152): whether a message has 8-bit octets, whether
 * it is signed (then it must not be converted: the signature covers the bytes), and the conversion
 * of 8-bit body parts to quoted-printable. Header fields are left as they are.
 */
final class EightBitContent {

    private static final Session SESSION = Session.getInstance(new Properties());

    private EightBitContent() {
    }

    /** Whether any octet of the message is above 127. */
    static boolean hasEightBit(SpooledContent content) throws IOException {
        try (InputStream in = new BufferedInputStream(content.open(), 64 * 1024)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] < 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether the message is S/MIME or multipart/signed: its bytes must reach the recipient unchanged. */
    static boolean isSigned(SpooledContent content) throws IOException {
        try (InputStream in = content.open()) {
            String type = new InternetHeaders(in).getHeader("Content-Type", null);
            if (type == null) {
                return false;
            }
            String lower = type.toLowerCase(Locale.ROOT);
            return lower.startsWith("multipart/signed") || lower.contains("pkcs7-mime");
        } catch (MessagingException e) {
            return false;
        }
    }

    /**
     * Writes the message with every 8-bit leaf part re-encoded as quoted-printable; headers,
     * Message-ID and boundaries kept. Works in memory: only mail to the rare next hop without
     * 8BITMIME takes this path.
     */
    static void writeSevenBit(SpooledContent content, OutputStream out) throws IOException {
        try (InputStream in = content.open()) {
            MimeMessage message = new MimeMessage(SESSION, in) {
                @Override
                protected void updateMessageID() {
                    // the Message-ID the sender gave stays
                }
            };
            convert(message);
            message.saveChanges();
            message.writeTo(out);
        } catch (MessagingException e) {
            throw new IOException("cannot convert the message to 7 bit: " + e.getMessage(), e);
        }
    }

    private static void convert(Part part) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                convert(child);
            }
            part.setContent(multipart);
            return;
        }
        String encoding = part instanceof MimeMessage m ? m.getEncoding() : ((MimeBodyPart) part).getEncoding();
        if (encoding != null && !encoding.equalsIgnoreCase("8bit") && !encoding.equalsIgnoreCase("binary")) {
            return;
        }
        byte[] raw;
        try (InputStream in = part instanceof MimeMessage m ? m.getRawInputStream() : ((MimeBodyPart) part).getRawInputStream()) {
            raw = in.readAllBytes();
        }
        boolean eightBit = false;
        for (byte b : raw) {
            if (b < 0) {
                eightBit = true;
                break;
            }
        }
        if (!eightBit) {
            return;
        }
        String type = part.getContentType();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(raw, type)));
        part.setHeader("Content-Type", type);
        part.setHeader("Content-Transfer-Encoding", "quoted-printable");
    }
}
