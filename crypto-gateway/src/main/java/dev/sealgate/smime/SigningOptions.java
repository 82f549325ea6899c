package dev.sealgate.smime;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * How to sign. {@link #defaults()} is detached, SHA-256, RSA PKCS#1 v1.5 (ECDSA for EC keys):
 * the most widely readable choice.
 *
 * @param digest                   message digest
 * @param scheme                   RSA signature scheme; ignored for EC keys
 * @param format                   detached (multipart/signed) or opaque (signed-data)
 * @param encryptionKeyPreference  certificate to advertise in the RFC 8551 encryption key preference
 *                                 attribute; empty means the signer certificate
 */
public record SigningOptions(DigestAlgorithm digest, SignatureScheme scheme, SignatureFormat format,
                             Optional<X509Certificate> encryptionKeyPreference) {

    public SigningOptions {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(encryptionKeyPreference, "encryptionKeyPreference");
    }

    public static SigningOptions defaults() {
        return new SigningOptions(DigestAlgorithm.SHA256, SignatureScheme.RSA_PKCS1_V15, SignatureFormat.DETACHED,
                Optional.empty());
    }

    /**
     * The defaults with a digest as strong as the signer's key: SHA-384 for a P-384 key, which
     * gpgsm and other strict verifiers require; SHA-256 otherwise.
     */
    public static SigningOptions defaultsFor(X509Certificate signer) {
        if (signer.getPublicKey() instanceof java.security.interfaces.ECPublicKey ec
                && ec.getParams().getOrder().bitLength() > 256) {
            return defaults().withDigest(DigestAlgorithm.SHA384);
        }
        return defaults();
    }

    public SigningOptions withDigest(DigestAlgorithm digest) {
        return new SigningOptions(digest, scheme, format, encryptionKeyPreference);
    }

    public SigningOptions withScheme(SignatureScheme scheme) {
        return new SigningOptions(digest, scheme, format, encryptionKeyPreference);
    }

    public SigningOptions withFormat(SignatureFormat format) {
        return new SigningOptions(digest, scheme, format, encryptionKeyPreference);
    }

    public SigningOptions withEncryptionKeyPreference(X509Certificate certificate) {
        return new SigningOptions(digest, scheme, format, Optional.of(certificate));
    }
}
