package dev.sealgate.certs;

/** Whether a certificate chains to a trust anchor (or an admin vouched for it by importing it). */
public enum TrustStatus {
    TRUSTED,
    /** Stored, but not used for encryption unless the policy allows untrusted certificates. */
    UNTRUSTED
}
