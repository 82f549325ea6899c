package dev.sealgate.smime;

import dev.sealgate.io.CloseShieldOutputStream;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.smime.SMIMECapabilitiesAttribute;
import org.bouncycastle.asn1.smime.SMIMEEncryptionKeyPreferenceAttribute;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataStreamGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.SignerInfoGeneratorBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.io.TeeOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.List;
import java.util.Objects;

/**
 * Signs messages as multipart/signed (detached) or as opaque signed-data, with the signer's
 * certificate chain and the RFC 8551 signed attributes: signing time, S/MIME capabilities (what this
 * engine decrypts) and encryption key preference (whose certificate is carried too).
 * Thread-safe; one instance per signing identity.
 */
public final class SmimeSigner {

    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final SigningOptions options;
    private final String signatureAlgorithm;

    /**
     * @param key     the signer's private key (RSA, or EC on P-256/P-384)
     * @param chain   signer certificate first, then its issuers (the root may be left out)
     * @param options digest, scheme and format
     * @throws SmimeCertificateException if the certificate may not sign e-mail or does not fit the key
     */
    public SmimeSigner(PrivateKey key, List<X509Certificate> chain, SigningOptions options) {
        this.key = Objects.requireNonNull(key, "key");
        this.chain = List.copyOf(Objects.requireNonNull(chain, "chain"));
        this.options = Objects.requireNonNull(options, "options");
        if (this.chain.isEmpty()) {
            throw new SmimeCertificateException("no signer certificate given: pass the chain with the signer certificate first");
        }
        X509Certificate signer = this.chain.get(0);
        boolean[] usage = signer.getKeyUsage();
        if (usage != null && !(usage[0] || usage[1])) {
            throw new SmimeCertificateException("signer certificate " + Certificates.describe(signer)
                    + " lacks key usage digitalSignature/nonRepudiation: use an e-mail signing certificate");
        }
        if (key instanceof ECKey) {
            this.signatureAlgorithm = options.digest().jcaPrefix() + "withECDSA";
        } else if (key instanceof RSAKey) {
            this.signatureAlgorithm = options.digest().jcaPrefix()
                    + (options.scheme() == SignatureScheme.RSA_PSS ? "withRSAandMGF1" : "withRSA");
        } else {
            throw new SmimeCertificateException("signing key of type " + key.getAlgorithm()
                    + " is not supported: use an RSA or EC (P-256/P-384) key");
        }
        if (!signer.getPublicKey().getAlgorithm().equals(key.getAlgorithm())
                && !(signer.getPublicKey().getAlgorithm().startsWith("EC") && key.getAlgorithm().startsWith("EC"))) {
            throw new SmimeCertificateException("signer certificate " + Certificates.describe(signer) + " holds a "
                    + signer.getPublicKey().getAlgorithm() + " key but the private key is " + key.getAlgorithm()
                    + ": pass the key that belongs to the certificate");
        }
    }

    /** The options this signer uses. */
    public SigningOptions options() {
        return options;
    }

    /**
     * Writes the signed message to {@code out}: outer headers kept, the content entity signed.
     * Streams; memory use does not grow with the message size. On an exception, discard {@code out}.
     */
    public void sign(MimeMessage message, OutputStream out) {
        signing(() -> {
            MimeSupport.writeOuterHeaders(message, out);
            MimeSupport.writeLine(out, "MIME-Version: 1.0");
            writeSignedEntity(message, out);
            out.flush();
        });
    }

    /**
     * Writes the MIME entity of the signed message, its Content-* headers and body, without the
     * outer headers: what {@link SmimeEncryptor} encrypts when it is given the signed message, so
     * that the encryptor can take it as it is made (see
     * {@link SmimeEncryptor#encryptSigned(MimeMessage, SmimeSigner, List, OutputStream)}).
     */
    void signEntity(MimeMessage message, OutputStream out) {
        signing(() -> writeSignedEntity(message, out));
    }

    private interface SigningWork {
        void run() throws MessagingException, IOException, CMSException, OperatorCreationException, CertificateEncodingException;
    }

    private void signing(SigningWork work) {
        try {
            work.run();
        } catch (MessagingException | IOException e) {
            throw Failures.reading("message to sign", e);
        } catch (CMSException | OperatorCreationException | CertificateEncodingException e) {
            throw new SmimeCryptoException("signing failed with " + signatureAlgorithm + ": "
                    + Failures.describe(e) + "; check that the key and certificate belong together", e);
        } catch (RuntimeException e) {
            if (e instanceof SmimeException s) {
                throw s;
            }
            throw new SmimeCryptoException("signing failed with " + signatureAlgorithm + ": " + Failures.describe(e)
                    + "; check that the key and certificate belong together", e);
        }
    }

    /** Signs in memory; for large messages use {@link #sign(MimeMessage, OutputStream)} on a file. */
    public MimeMessage sign(MimeMessage message) {
        MimeSupport.Buffer buffer = new MimeSupport.Buffer();
        sign(message, buffer);
        return buffer.toMessage();
    }

    private void writeSignedEntity(MimeMessage message, OutputStream out)
            throws MessagingException, IOException, CMSException, OperatorCreationException, CertificateEncodingException {
        if (options.format() == SignatureFormat.DETACHED) {
            signDetached(message, out);
        } else {
            signOpaque(message, out);
        }
    }

    private void signDetached(MimeMessage message, OutputStream out)
            throws MessagingException, IOException, CMSException, OperatorCreationException, CertificateEncodingException {
        String boundary = MimeSupport.newBoundary();
        MimeSupport.writeLine(out, "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg="
                + options.digest().micalg() + "; boundary=\"" + boundary + "\"");
        MimeSupport.writeLine(out, "");
        MimeSupport.writeLine(out, "This is an S/MIME signed message");
        MimeSupport.writeLine(out, "");
        MimeSupport.writeLine(out, "--" + boundary);

        ByteArrayOutputStream signature = new ByteArrayOutputStream();
        OutputStream signing = generator().open(signature, false);
        TeeOutputStream both = new TeeOutputStream(new CloseShieldOutputStream(out), signing);
        MimeSupport.writeContentEntity(message, both);
        both.close();

        MimeSupport.writeLine(out, "");
        MimeSupport.writeLine(out, "--" + boundary);
        MimeSupport.writeLine(out, "Content-Type: application/pkcs7-signature; name=\"smime.p7s\"");
        MimeSupport.writeLine(out, "Content-Transfer-Encoding: base64");
        MimeSupport.writeLine(out, "Content-Disposition: attachment; filename=\"smime.p7s\"");
        MimeSupport.writeLine(out, "Content-Description: S/MIME Cryptographic Signature");
        MimeSupport.writeLine(out, "");
        try (OutputStream b64 = MimeSupport.base64(out)) {
            signature.writeTo(b64);
        }
        MimeSupport.writeLine(out, "--" + boundary + "--");
    }

    private void signOpaque(MimeMessage message, OutputStream out)
            throws MessagingException, IOException, CMSException, OperatorCreationException, CertificateEncodingException {
        MimeSupport.writeLine(out, "Content-Type: application/pkcs7-mime; smime-type=signed-data; name=\"smime.p7m\"");
        MimeSupport.writeLine(out, "Content-Transfer-Encoding: base64");
        MimeSupport.writeLine(out, "Content-Disposition: attachment; filename=\"smime.p7m\"");
        MimeSupport.writeLine(out, "");
        try (OutputStream b64 = MimeSupport.base64(out);
             OutputStream signing = generator().open(b64, true)) {
            MimeSupport.writeContentEntity(message, signing);
        }
    }

    private CMSSignedDataStreamGenerator generator()
            throws OperatorCreationException, CertificateEncodingException, CMSException {
        X509Certificate signer = chain.get(0);
        X509Certificate preferred = options.encryptionKeyPreference().orElse(signer);
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(new SMIMECapabilitiesAttribute(SmimeCapabilities.ours()));
        attributes.add(new SMIMEEncryptionKeyPreferenceAttribute(new IssuerAndSerialNumber(
                X500Name.getInstance(preferred.getIssuerX500Principal().getEncoded()), preferred.getSerialNumber())));
        // The content digest from the JDK's providers (SHA-256/384/512 with the CPU's SHA instructions, where
        // Bouncy Castle's is plain Java: it was 6 % of the outbound profile for 50 KiB); the signature from BC.
        SignerInfoGenerator signerInfo = new SignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
                .build(new JcaContentSignerBuilder(signatureAlgorithm).setProvider(JcaProviders.BC).build(key),
                        new JcaX509CertificateHolder(signer));
        CMSSignedDataStreamGenerator generator = new CMSSignedDataStreamGenerator();
        generator.addSignerInfoGenerator(signerInfo);
        List<X509Certificate> certificates = new java.util.ArrayList<>(chain);
        if (!certificates.contains(preferred)) {
            certificates.add(preferred);
        }
        generator.addCertificates(new JcaCertStore(certificates));
        return generator;
    }
}
