package dev.sealgate.smime;

import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;

/**
 * One recipient of an encrypted message: the certificate and how the content key reaches it.
 * The caller chooses the key encryption (e.g. from the capabilities the recipient advertised);
 * {@link #of(X509Certificate)} picks the most widely readable one for the key type.
 *
 * @param certificate   the recipient's encryption certificate
 * @param keyEncryption key transport or agreement for this recipient; must fit the key type
 */
public record RecipientSpec(X509Certificate certificate, KeyEncryption keyEncryption) {

    public RecipientSpec {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(keyEncryption, "keyEncryption");
        boolean ec = certificate.getPublicKey() instanceof ECPublicKey;
        boolean rsa = certificate.getPublicKey() instanceof RSAPublicKey;
        if (keyEncryption == KeyEncryption.ECDH ? !ec : !rsa) {
            throw new SmimeCertificateException("recipient certificate " + Certificates.describe(certificate)
                    + " has a " + certificate.getPublicKey().getAlgorithm() + " key that cannot do " + keyEncryption
                    + ": choose " + (ec ? "ECDH" : "RSA_PKCS1_V15 or RSA_OAEP") + " for this recipient");
        }
    }

    /** RSA PKCS#1 v1.5 for RSA keys, ECDH for EC keys. */
    public static RecipientSpec of(X509Certificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        return new RecipientSpec(certificate,
                certificate.getPublicKey() instanceof ECPublicKey ? KeyEncryption.ECDH : KeyEncryption.RSA_PKCS1_V15);
    }
}
