package dev.sealgate.revocation;

/**
 * What a signature counts as when the revocation status of a certificate of its chain cannot be
 * determined. Either way the stamp says {@code revocation-unknown}, never {@code valid}.
 */
public enum UnknownRevocation {
    /** The signature still counts as valid for the partner's inbound requirement and for harvesting; mail is delivered. */
    SOFT_FAIL,
    /** The signature counts as not valid: a partner that must sign is refused, its certificate is kept as untrusted. */
    HARD_FAIL
}
