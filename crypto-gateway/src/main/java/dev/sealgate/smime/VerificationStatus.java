package dev.sealgate.smime;

/**
 * Outcome of verifying a signature, in order of precedence: the first that applies is reported.
 */
public enum VerificationStatus {
    /** Signature, chain, revocation and addresses all hold. */
    VALID,
    /** The signature does not match the content or the signer certificate: the content was changed or forged. */
    BAD_SIGNATURE,
    /** The signer certificate or one above it is revoked by a CRL given to the verifier. */
    REVOKED,
    /** The signer certificate or one above it is outside its validity period. */
    EXPIRED,
    /** No path to a trust anchor, or a certificate is not fit for e-mail signing (key usage, extended key usage). */
    UNTRUSTED_CHAIN,
    /** The signature holds but the certificate does not belong to the header From address. */
    ADDRESS_MISMATCH
}
