package dev.sealgate.smime;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimePart;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1SequenceParser;
import org.bouncycastle.asn1.ASN1StreamParser;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Tells what a message or MIME part is: signed (detached or opaque), enveloped, auth-enveloped,
 * certs-only or plain. Understands the legacy {@code application/x-pkcs7-*} names Outlook sends and,
 * where the {@code smime-type} parameter is missing, looks at the CMS content type itself.
 */
public final class SmimeInspector {

    private static final int PEEK_LIMIT = 64 * 1024;

    private SmimeInspector() {
    }

    /** What {@code part} is. Never throws for plain messages; a pkcs7-mime part whose body is not CMS is a format error. */
    public static SmimeType detect(MimePart part) {
        try {
            ContentType type = MimeSupport.contentType(part);
            String base = type.getBaseType().toLowerCase(Locale.ROOT);
            if (base.equals("multipart/signed")) {
                String protocol = String.valueOf(type.getParameter("protocol")).toLowerCase(Locale.ROOT);
                return protocol.equals("application/pkcs7-signature") || protocol.equals("application/x-pkcs7-signature")
                        ? SmimeType.SIGNED_DETACHED : SmimeType.PLAIN;
            }
            if (isPkcs7Mime(base, part)) {
                String smimeType = type.getParameter("smime-type");
                if (smimeType != null) {
                    switch (smimeType.toLowerCase(Locale.ROOT)) {
                        case "signed-data":
                            return SmimeType.SIGNED_OPAQUE;
                        case "enveloped-data":
                            return SmimeType.ENVELOPED;
                        case "authenveloped-data":
                            return SmimeType.AUTH_ENVELOPED;
                        case "certs-only":
                            return SmimeType.CERTS_ONLY;
                        default:
                            break;
                    }
                }
                try (InputStream in = part.getInputStream()) {
                    return fromCmsContentType(in);
                }
            }
            return SmimeType.PLAIN;
        } catch (MessagingException | IOException | RuntimeException e) {
            throw Failures.reading("message to inspect", e);
        }
    }

    private static boolean isPkcs7Mime(String base, MimePart part) throws MessagingException {
        if (base.equals("application/pkcs7-mime") || base.equals("application/x-pkcs7-mime")) {
            return true;
        }
        // Some clients send smime.p7m as application/octet-stream; the file name is all that tells.
        if (base.equals("application/octet-stream")) {
            String name = MimeSupport.contentType(part).getParameter("name");
            if (name == null && part.getHeader("Content-Disposition", null) != null) {
                name = new jakarta.mail.internet.ContentDisposition(part.getHeader("Content-Disposition", null))
                        .getParameter("filename");
            }
            return name != null && name.toLowerCase(Locale.ROOT).endsWith(".p7m");
        }
        return false;
    }

    /** Reads only the ContentInfo header of a CMS stream. */
    static SmimeType fromCmsContentType(InputStream cms) {
        ASN1ObjectIdentifier oid = peekContentType(cms);
        if (oid.equals(CMSObjectIdentifiers.signedData)) {
            return SmimeType.SIGNED_OPAQUE;
        }
        if (oid.equals(CMSObjectIdentifiers.envelopedData)) {
            return SmimeType.ENVELOPED;
        }
        if (oid.equals(CMSObjectIdentifiers.authEnvelopedData)) {
            return SmimeType.AUTH_ENVELOPED;
        }
        throw new SmimeFormatException("CMS content type " + oid.getId()
                + " is not signed, enveloped or auth-enveloped data: this engine cannot process it");
    }

    /** Peeks at the content type of a CMS stream and rewinds it; the stream must support mark/reset. */
    static ASN1ObjectIdentifier peekContentType(InputStream cms) {
        try {
            ASN1StreamParser parser = new ASN1StreamParser(new BoundedInput(cms, PEEK_LIMIT));
            Object first = parser.readObject();
            if (!(first instanceof ASN1SequenceParser seq)) {
                throw new SmimeFormatException("the body is not CMS (no ContentInfo SEQUENCE): the message is corrupt or mislabelled");
            }
            Object type = seq.readObject();
            if (!(type instanceof ASN1ObjectIdentifier oid)) {
                throw new SmimeFormatException("the body is not CMS (no content type): the message is corrupt or mislabelled");
            }
            return oid;
        } catch (IOException | RuntimeException e) {
            throw Failures.malformedCms("the message body", e);
        }
    }

    /** Marks, peeks and rewinds a stream so that the caller can parse it afterwards. */
    static SmimeType peekAndRewind(BufferedInputStream in) throws IOException {
        in.mark(PEEK_LIMIT);
        SmimeType t = fromCmsContentType(in);
        in.reset();
        return t;
    }

    /** Reads no more than a limit, so that peeking at a huge definite-length object stays cheap. */
    private static final class BoundedInput extends java.io.FilterInputStream {
        private int left;

        BoundedInput(InputStream in, int limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            left--;
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() {
            // the caller owns the stream
        }
    }
}
