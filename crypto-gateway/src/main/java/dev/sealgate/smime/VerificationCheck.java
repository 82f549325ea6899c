package dev.sealgate.smime;

/** One thing a verifier checks; a {@link VerificationResult} lists those that failed. */
public enum VerificationCheck {
    /** The signature matches the content and the signer's public key. */
    SIGNATURE,
    /** A path from the signer certificate to a trust anchor exists (and, when CRLs are given, every CA of it has one). */
    CHAIN,
    /** Every certificate of the path is within its validity period. */
    VALIDITY,
    /** No certificate of the path is revoked (checked when CRLs or a revocation checker are given). */
    REVOCATION,
    /** The signer certificate allows e-mail signing: key usage digitalSignature/nonRepudiation, EKU emailProtection when present. */
    KEY_USAGE,
    /** The signer certificate's e-mail addresses include the header From address. */
    SIGNER_ADDRESS
}
