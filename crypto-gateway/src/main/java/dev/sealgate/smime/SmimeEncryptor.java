package dev.sealgate.smime;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * Encrypts messages to one or more recipients as enveloped-data (AES-CBC) or authenticated-enveloped-data
 * (AES-GCM), each recipient with its own key transport or agreement. Thread-safe.
 */
public final class SmimeEncryptor {

    private final EncryptionOptions options;

    public SmimeEncryptor(EncryptionOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The options this encryptor uses. */
    public EncryptionOptions options() {
        return options;
    }

    /**
     * Writes the encrypted message to {@code out}: outer headers kept, the content entity encrypted.
     * Streams; memory use does not grow with the message size. On an exception, discard {@code out}.
     *
     * @param recipients at least one; the sender is added when the options ask for encrypt-to-self
     */
    public void encrypt(MimeMessage message, List<RecipientSpec> recipients, OutputStream out) {
        encrypt(message, recipients, out, encrypting -> MimeSupport.writeContentEntity(message, encrypting));
    }

    /**
     * Signs the message with {@code signer} and encrypts the signed message, in one pass: the same
     * bytes as {@code encrypt(signer.sign(message), recipients, out)}, without the signed message
     * being written out and parsed again (ADR 0198). Streams. On an exception, discard {@code out}.
     */
    public void encryptSigned(MimeMessage message, SmimeSigner signer, List<RecipientSpec> recipients, OutputStream out) {
        Objects.requireNonNull(signer, "signer");
        encrypt(message, recipients, out, encrypting -> signer.signEntity(message, encrypting));
    }

    private interface EntityWriter {
        void writeTo(OutputStream out) throws MessagingException, IOException;
    }

    private void encrypt(MimeMessage message, List<RecipientSpec> recipients, OutputStream out, EntityWriter entity) {
        List<RecipientSpec> all = new ArrayList<>(Objects.requireNonNull(recipients, "recipients"));
        options.self().ifPresent(all::add);
        if (all.isEmpty()) {
            throw new SmimeCertificateException("no recipient given: pass at least one recipient certificate");
        }
        for (RecipientSpec r : all) {
            checkEncryptionUsage(r);
        }
        boolean gcm = options.contentEncryption().authenticated();
        try {
            MimeSupport.writeOuterHeaders(message, out);
            MimeSupport.writeLine(out, "MIME-Version: 1.0");
            MimeSupport.writeLine(out, "Content-Type: application/pkcs7-mime; smime-type="
                    + (gcm ? "authEnveloped-data" : "enveloped-data") + "; name=\"smime.p7m\"");
            MimeSupport.writeLine(out, "Content-Transfer-Encoding: base64");
            MimeSupport.writeLine(out, "Content-Disposition: attachment; filename=\"smime.p7m\"");
            MimeSupport.writeLine(out, "");
            try (OutputStream b64 = MimeSupport.base64(out);
                 OutputStream encrypting = open(b64, all)) {
                entity.writeTo(encrypting);
            }
            out.flush();
        } catch (MessagingException | IOException e) {
            throw Failures.reading("message to encrypt", e);
        } catch (CMSException | GeneralSecurityException e) {
            throw new SmimeCryptoException("encryption with " + options.contentEncryption() + " failed: "
                    + Failures.describe(e) + "; check the recipient certificates", e);
        } catch (RuntimeException e) {
            if (e instanceof SmimeException s) {
                throw s;
            }
            throw new SmimeCryptoException("encryption with " + options.contentEncryption() + " failed: "
                    + Failures.describe(e) + "; check the recipient certificates", e);
        }
    }

    /** Encrypts in memory; for large messages use {@link #encrypt(MimeMessage, List, OutputStream)} on a file. */
    public MimeMessage encrypt(MimeMessage message, List<RecipientSpec> recipients) {
        MimeSupport.Buffer buffer = new MimeSupport.Buffer();
        encrypt(message, recipients, buffer);
        return buffer.toMessage();
    }

    private OutputStream open(OutputStream out, List<RecipientSpec> recipients)
            throws CMSException, GeneralSecurityException, IOException {
        if (options.contentEncryption().authenticated()) {
            OutputAEADEncryptor encryptor = new JceGcmContentEncryptor(options.contentEncryption(),
                    JcaProviders.contentEncryption());
            CMSAuthEnvelopedDataStreamGenerator generator = new CMSAuthEnvelopedDataStreamGenerator();
            for (RecipientSpec r : recipients) {
                generator.addRecipientInfoGenerator(recipientInfo(r));
            }
            return generator.open(out, encryptor);
        }
        OutputEncryptor encryptor = new JceCMSContentEncryptorBuilder(options.contentEncryption().oid())
                .setProvider(JcaProviders.contentEncryption())
                .build();
        CMSEnvelopedDataStreamGenerator generator = new CMSEnvelopedDataStreamGenerator();
        for (RecipientSpec r : recipients) {
            generator.addRecipientInfoGenerator(recipientInfo(r));
        }
        return generator.open(out, encryptor);
    }

    private static RecipientInfoGenerator recipientInfo(RecipientSpec r) throws GeneralSecurityException {
        return switch (r.keyEncryption()) {
            case RSA_PKCS1_V15 -> new JceKeyTransRecipientInfoGenerator(r.certificate()).setProvider(JcaProviders.BC);
            case RSA_OAEP -> {
                AlgorithmIdentifier oaep = new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(
                        PKCSObjectIdentifiers.id_RSAES_OAEP, new OAEPParameterSpec("SHA-256", "MGF1",
                                MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
                yield new JceKeyTransRecipientInfoGenerator(r.certificate(), oaep).setProvider(JcaProviders.BC);
            }
            case ECDH -> {
                // Ephemeral-static: a fresh key pair on the recipient's curve for every recipient of every message.
                KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC", JcaProviders.BC);
                kpg.initialize(((ECPublicKey) r.certificate().getPublicKey()).getParams());
                KeyPair ephemeral = kpg.generateKeyPair();
                yield new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF, ephemeral.getPrivate(),
                        ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP)
                        .addRecipient(r.certificate())
                        .setProvider(JcaProviders.BC);
            }
        };
    }

    private static void checkEncryptionUsage(RecipientSpec r) {
        boolean[] usage = r.certificate().getKeyUsage();
        if (usage == null) {
            return;
        }
        boolean ok = r.keyEncryption() == KeyEncryption.ECDH ? usage[4] : usage[2];
        if (!ok) {
            throw new SmimeCertificateException("recipient certificate " + Certificates.describe(r.certificate())
                    + " lacks key usage " + (r.keyEncryption() == KeyEncryption.ECDH ? "keyAgreement" : "keyEncipherment")
                    + ": ask the recipient for an encryption certificate");
        }
    }
}
