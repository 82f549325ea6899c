package dev.sealgate.smime;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSEnvelopedDataParser;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.KeyAgreeRecipientId;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;

import javax.security.auth.x500.X500Principal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decrypts enveloped-data and authenticated-enveloped-data messages. The private key is found
 * through a {@link RecipientKeyResolver} by issuer+serial or subject key identifier. Thread-safe.
 */
public final class SmimeDecryptor {

    private final RecipientKeyResolver resolver;

    public SmimeDecryptor(RecipientKeyResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * Writes the decrypted message to {@code out}: the outer headers of {@code message} and the
     * decrypted MIME entity (content without a MIME header block is labelled {@code text/plain}). Streams. On an exception, discard {@code out}: for AES-GCM the
     * authentication tag is checked only at the end of the content.
     */
    public DecryptionResult decrypt(MimeMessage message, OutputStream out) {
        SmimeType type = SmimeInspector.detect(message);
        if (!type.encrypted()) {
            throw new SmimeFormatException("the message is " + type + ", not encrypted: nothing to decrypt");
        }
        try (InputStream body = new BufferedInputStream(message.getInputStream(), 64 * 1024)) {
            SmimeType cmsType = SmimeInspector.peekAndRewind((BufferedInputStream) body);
            if (!cmsType.encrypted()) {
                throw new SmimeFormatException("the message is labelled " + type + " but holds " + cmsType
                        + ": the sender's client mislabelled it");
            }
            MimeSupport.writeOuterHeaders(message, out);
            MimeSupport.writeLine(out, "MIME-Version: 1.0");
            EntityHeaderGuard entity = new EntityHeaderGuard(out);
            DecryptionResult result = decryptCms(body, cmsType, entity, message.getSize());
            entity.finish();
            return result;
        } catch (MessagingException | IOException e) {
            throw Failures.reading("encrypted message", e);
        } catch (RuntimeException e) {
            throw Failures.malformedCms("the encrypted message", e);
        }
    }

    /** Decrypts in memory; for large messages use {@link #decrypt(MimeMessage, OutputStream)} on a file. */
    public MimeMessage decrypt(MimeMessage message) {
        MimeSupport.Buffer buffer = new MimeSupport.Buffer();
        decrypt(message, buffer);
        return buffer.toMessage();
    }

    /** Decrypts a bare CMS stream (DER or BER) and writes the content it carries; memory stays bounded for any size. */
    public DecryptionResult decryptCms(InputStream cms, OutputStream content) {
        BufferedInputStream in = new BufferedInputStream(cms, 64 * 1024);
        try {
            return decryptCms(in, SmimeInspector.peekAndRewind(in), content, -1);
        } catch (IOException e) {
            throw Failures.malformedCms("the encrypted content", e);
        }
    }

    private DecryptionResult decryptCms(InputStream in, SmimeType cmsType, OutputStream out, long bodySize) {
        boolean auth = cmsType == SmimeType.AUTH_ENVELOPED;
        RecipientInformationStore store;
        String encOid;
        try {
            if (auth) {
                CMSAuthEnvelopedDataParser parser = new CMSAuthEnvelopedDataParser(in);
                store = parser.getRecipientInfos();
                encOid = parser.getEncAlgOID();
            } else if (cmsType == SmimeType.ENVELOPED) {
                CMSEnvelopedDataParser parser = new CMSEnvelopedDataParser(in);
                store = parser.getRecipientInfos();
                encOid = parser.getEncryptionAlgOID();
            } else {
                throw new SmimeFormatException("the content is " + cmsType + ", not encrypted: nothing to decrypt");
            }
        } catch (CMSException | IOException | RuntimeException e) {
            throw Failures.malformedCms("the encrypted content", e);
        }
        List<RecipientReference> named = new ArrayList<>();
        for (RecipientInformation info : store.getRecipients()) {
            Optional<RecipientReference> ref = reference(info);
            if (ref.isEmpty()) {
                continue;
            }
            named.add(ref.get());
            Optional<PrivateKey> key = resolver.resolve(ref.get());
            if (key != null && key.isPresent()) {
                copyContent(info, recipient(info, key.get(), JcaProviders.contentDecryption(auth, bodySize), auth),
                        out, ref.get());
                return new DecryptionResult(cmsType, encOid, ref.get());
            }
        }
        throw new SmimeKeyNotFoundException(named);
    }

    private static void copyContent(RecipientInformation info, Recipient recipient, OutputStream out,
                                    RecipientReference ref) {
        try {
            CMSTypedStream content = info.getContentStream(recipient);
            try (InputStream in = content.getContentStream()) {
                in.transferTo(out);
            }
        } catch (CMSException e) {
            throw new SmimeCryptoException("cannot unwrap the content key for " + ref + ": " + Failures.describe(e)
                    + "; the resolved private key does not belong to this recipient", e);
        } catch (IOException | RuntimeException e) {
            if (isIntegrityFailure(e)) {
                throw new SmimeCryptoException("the encrypted content failed its integrity check (" + Failures.describe(e)
                        + "): it was changed in transit or the key is wrong; discard the output", e);
            }
            throw Failures.malformedCms("the encrypted content", e);
        }
    }

    private static boolean isIntegrityFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.contains("BadPadding") || name.contains("InvalidCipherText") || name.contains("AEADBadTag")
                    || name.contains("IllegalBlockSize")) {
                return true;
            }
        }
        return false;
    }

    private static Recipient recipient(RecipientInformation info, PrivateKey key, Provider content,
                                       boolean auth) {
        boolean keyTrans = info instanceof KeyTransRecipientInformation;
        if (auth && content != JcaProviders.BC) {
            return keyTrans ? JceGcmRecipients.keyTrans(key, content) : JceGcmRecipients.keyAgree(key, content);
        }
        if (keyTrans) {
            return auth
                    ? new JceKeyTransAuthEnvelopedRecipient(key).setProvider(JcaProviders.BC).setContentProvider(content)
                    : new JceKeyTransEnvelopedRecipient(key).setProvider(JcaProviders.BC).setContentProvider(content);
        }
        return auth
                ? new JceKeyAgreeAuthEnvelopedRecipient(key).setProvider(JcaProviders.BC).setContentProvider(content)
                : new JceKeyAgreeEnvelopedRecipient(key).setProvider(JcaProviders.BC).setContentProvider(content);
    }

    private static Optional<RecipientReference> reference(RecipientInformation info) {
        RecipientId rid = info.getRID();
        X500Name issuer;
        BigInteger serial;
        byte[] ski;
        KeyEncryption keyEncryption;
        if (rid instanceof KeyTransRecipientId k) {
            issuer = k.getIssuer();
            serial = k.getSerialNumber();
            ski = k.getSubjectKeyIdentifier();
            keyEncryption = PKCSObjectIdentifiers.id_RSAES_OAEP.getId().equals(info.getKeyEncryptionAlgOID())
                    ? KeyEncryption.RSA_OAEP : KeyEncryption.RSA_PKCS1_V15;
        } else if (rid instanceof KeyAgreeRecipientId k && info instanceof KeyAgreeRecipientInformation) {
            issuer = k.getIssuer();
            serial = k.getSerialNumber();
            ski = k.getSubjectKeyIdentifier();
            keyEncryption = KeyEncryption.ECDH;
        } else {
            return Optional.empty();
        }
        Optional<X500Principal> principal;
        try {
            principal = issuer == null ? Optional.empty() : Optional.of(new X500Principal(issuer.getEncoded()));
        } catch (IOException e) {
            principal = Optional.empty();
        }
        return Optional.of(new RecipientReference(principal, Optional.ofNullable(serial), Optional.ofNullable(ski),
                keyEncryption));
    }
}
