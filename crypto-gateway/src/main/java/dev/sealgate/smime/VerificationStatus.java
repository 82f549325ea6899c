package dev.sealgate.smime;

/**
 * Outcome of verifying a signature, in order of precedence: the first that applies is reported.
 */
public enum VerificationStatus {
    /** Signature, chain, revocation and addresses all hold. */
    VALID,
    /**
     * Everything holds except that the revocation status of a certificate of the chain could not be
     * determined (no responder, responder down, stale CRL, no answer in time). Not valid; whether
     * such mail still counts as signed is the partner's revocation policy (soft-fail, hard-fail).
     */
    REVOCATION_UNKNOWN,
    /** The signature does not match the content or the signer certificate: the content was changed or forged. */
    BAD_SIGNATURE,
    /** The signer certificate or one above it is revoked: by a CRL given to the verifier or by the revocation checker's answer. */
    REVOKED,
    /** The signer certificate or one above it is outside its validity period. */
    EXPIRED,
    /** No path to a trust anchor, or a certificate is not fit for e-mail signing (key usage, extended key usage). */
    UNTRUSTED_CHAIN,
    /** The signature holds but the certificate does not belong to the header From address. */
    ADDRESS_MISMATCH
}
