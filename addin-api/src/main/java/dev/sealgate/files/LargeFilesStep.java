package dev.sealgate.files;

import dev.sealgate.flags.AddinFlagsStep;
import dev.sealgate.flags.MessageFlags;
import dev.sealgate.pipeline.Delivery;
import dev.sealgate.pipeline.PipelineMessage;
import dev.sealgate.pipeline.PipelineStep;
import dev.sealgate.policy.Direction;
import dev.sealgate.queue.SharedContent;
import dev.sealgate.tracking.EventLog;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.ParseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Replaces attachments of outbound mail by download links: those at or above
 * {@code sealgate.files.large-file-threshold}, or all when the sender pressed "large files" in the
 * add-in. Each attachment is streamed into the file storage with a link owned by the envelope
 * sender, removed from the message, and listed with its link at the end of the text/plain and
 * text/html bodies (a text/plain body is added when the message has none). Runs after the add-in
 * flags step and before the S/MIME steps, so the links travel signed and encrypted like the text.
 * Notices with the null sender are left alone: their links would have no owner.
 *
 * <p>The message is parsed from its spool file as a shared stream: parts that stay are written
 * back byte for byte from the file, nothing is held in memory but the text bodies. Mail the client
 * signed (multipart/signed, S/MIME) is left alone, as changing it would break the signature.
 *
 * <p>Stored files are an effect outside the message: when the gateway answers 4xx after this step
 * (a later step or the queue commit failed) and the client sends again, the first attempt's files
 * stay stored with links nobody received, until their expiry ({@code sealgate.files.default-expiry})
 * lets the cleanup delete them.
 */
public final class LargeFilesStep implements PipelineStep {

    private static final Session SESSION = Session.getInstance(new Properties());

    private final LargeFiles files;
    private final FilesProperties properties;
    private final Supplier<String> portalBase;
    private final EventLog events;

    /** @param portalBase the portal's address as recipients reach it, without trailing slash */
    public LargeFilesStep(LargeFiles files, FilesProperties properties, Supplier<String> portalBase, EventLog events) {
        this.files = files;
        this.properties = properties;
        this.portalBase = portalBase;
        this.events = events;
    }

    private record Replaced(String name, long size, String url) {
    }

    @Override
    public void process(PipelineMessage message) throws IOException {
        if (message.direction() != Direction.OUTBOUND || message.envelope().sender().isEmpty()) {
            return;
        }
        boolean all = AddinFlagsStep.resolved(message).flags().map(MessageFlags::largeFiles).orElse(false);
        long threshold = all ? 0 : properties.largeFileThreshold().toBytes();
        for (Delivery delivery : message.deliveries()) {
            try {
                rewrite(message, delivery, threshold, all);
            } catch (MessagingException e) {
                message.tracking().operation("large files", "not applied: the message is not well-formed MIME (" + e.getMessage() + ")");
            }
        }
    }

    private void rewrite(PipelineMessage message, Delivery delivery, long threshold, boolean all) throws IOException, MessagingException {
        try (SharedContent in = delivery.content().openShared()) {
            MimeMessage mime = new KeepMessageId(in);
            if (!mime.isMimeType("multipart/*")) {
                return;
            }
            if (mime.isMimeType("multipart/signed")) {
                message.tracking().operation("large files", "not applied: the message is signed by the mail client");
                return;
            }
            MimeMultipart root = (MimeMultipart) mime.getContent();
            List<Replaced> replaced = new ArrayList<>();
            replaceAttachments(message, root, threshold, replaced);
            if (replaced.isEmpty()) {
                return;
            }
            if (!appendToBodies(root, replaced)) {
                MimeBodyPart text = new MimeBodyPart();
                text.setText(plainNotice(replaced), StandardCharsets.UTF_8.name());
                root.addBodyPart(text, 0);
            }
            writeThrough(root);
            mime.setContent(root);
            mime.saveChanges();
            message.transform(delivery, out -> {
                try {
                    mime.writeTo(out);
                } catch (MessagingException e) {
                    throw new IOException("could not write message " + message.messageId() + " with download links", e);
                }
            });
            for (Replaced r : replaced) {
                message.tracking().operation("large file " + r.name(), "replaced by a download link (" + r.size() + " bytes"
                        + (all ? ", requested by the sender" : ", at or above " + properties.largeFileThreshold()) + ")");
            }
        }
    }

    /** Depth first; nested multiparts (e.g. multipart/alternative inside multipart/mixed) are searched too. */
    private void replaceAttachments(PipelineMessage message, MimeMultipart multipart, long threshold, List<Replaced> replaced)
            throws IOException, MessagingException {
        for (int i = multipart.getCount() - 1; i >= 0; i--) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.isMimeType("multipart/signed")) {
                continue;
            }
            if (part.isMimeType("multipart/*")) {
                replaceAttachments(message, (MimeMultipart) part.getContent(), threshold, replaced);
                continue;
            }
            if (!isAttachment(part) || decodedSize(part) < threshold) {
                continue;
            }
            String name = part.getFileName() == null ? "attachment" : part.getFileName();
            LargeFiles.CreatedLink link;
            try (InputStream content = part.getInputStream()) {
                link = files.share(content, name, baseType(part), message.envelope().sender(),
                        new LargeFiles.LinkOptions(properties.defaultExpiry(), null, null));
            } catch (FileTooLargeException e) {
                message.tracking().operation("large file " + name, "kept as attachment: above sealgate.files.max-file-size "
                        + properties.maxFileSize());
                events.warning("files", "An attachment of <" + message.envelope().sender() + "> was too large for a download link "
                        + "and stays in the message; raise sealgate.files.max-file-size to replace it", "message " + message.messageId()
                        + ", attachment " + name, message.reference());
                continue;
            }
            multipart.removeBodyPart(i);
            replaced.add(0, new Replaced(link.name(), link.size(), portalBase.get() + "/portal/d/" + link.token()));
        }
    }

    /**
     * The attachment's size after transfer decoding, from its encoded size: base64 carries 3 bytes in
     * 4 characters (line breaks make this a slight overestimate), the other encodings about 1 to 1.
     */
    private static long decodedSize(BodyPart part) throws MessagingException {
        long size = part.getSize();
        String encoding = part instanceof MimeBodyPart mime ? mime.getEncoding() : null;
        return "base64".equalsIgnoreCase(encoding) ? size * 3 / 4 : size;
    }

    private static boolean isAttachment(Part part) throws MessagingException {
        String disposition = part.getDisposition();
        if (Part.ATTACHMENT.equalsIgnoreCase(disposition)) {
            return true;
        }
        return disposition == null && part.getFileName() != null && !part.isMimeType("text/plain") && !part.isMimeType("text/html");
    }

    /**
     * Makes every nested multipart write from its (changed) parts: a container part left as parsed
     * would copy its original bytes. Leaf parts that were not changed still copy theirs.
     */
    private static void writeThrough(MimeMultipart multipart) throws IOException, MessagingException {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.isMimeType("multipart/*") && !part.isMimeType("multipart/signed")) {
                MimeMultipart nested = (MimeMultipart) part.getContent();
                writeThrough(nested);
                part.setContent(nested);
            }
        }
    }

    /** Adds the list to the first text/plain and text/html body each; false when there is neither. */
    private static boolean appendToBodies(MimeMultipart root, List<Replaced> replaced) throws IOException, MessagingException {
        BodyPart plain = firstBody(root, "text/plain");
        BodyPart html = firstBody(root, "text/html");
        if (plain != null) {
            plain.setContent(plain.getContent() + "\r\n\r\n" + plainNotice(replaced), "text/plain; charset=utf-8");
        }
        if (html != null) {
            String body = String.valueOf(html.getContent());
            String notice = htmlNotice(replaced);
            int end = body.toLowerCase(Locale.ROOT).lastIndexOf("</body>");
            html.setContent(end < 0 ? body + notice : body.substring(0, end) + notice + body.substring(end), "text/html; charset=utf-8");
        }
        return plain != null || html != null;
    }

    private static BodyPart firstBody(MimeMultipart multipart, String type) throws IOException, MessagingException {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.isMimeType("multipart/*") && !part.isMimeType("multipart/signed")) {
                BodyPart found = firstBody((MimeMultipart) part.getContent(), type);
                if (found != null) {
                    return found;
                }
            } else if (part.isMimeType(type) && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                return part;
            }
        }
        return null;
    }

    static String plainNotice(List<Replaced> replaced) {
        StringBuilder text = new StringBuilder("Attachments sent as download links:\r\n");
        for (Replaced r : replaced) {
            text.append("- ").append(r.name()).append(" (").append(r.size()).append(" bytes): ").append(r.url()).append("\r\n");
        }
        return text.toString();
    }

    static String htmlNotice(List<Replaced> replaced) {
        StringBuilder html = new StringBuilder("<hr><p>Attachments sent as download links:</p><ul>");
        for (Replaced r : replaced) {
            html.append("<li><a href=\"").append(Html.escape(r.url())).append("\">").append(Html.escape(r.name())).append("</a> (")
                    .append(r.size()).append(" bytes)</li>");
        }
        return html.append("</ul>").toString();
    }

    private static String baseType(Part part) throws MessagingException {
        try {
            return new ContentType(part.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
        } catch (ParseException e) {
            return "application/octet-stream";
        }
    }

    /** Saving changes must not give the message a new Message-ID: tracking and replies refer to the sender's. */
    private static final class KeepMessageId extends MimeMessage {

        KeepMessageId(InputStream in) throws MessagingException {
            super(SESSION, in);
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            if (getHeader("Message-ID") == null) {
                super.updateMessageID();
            }
        }
    }
}
