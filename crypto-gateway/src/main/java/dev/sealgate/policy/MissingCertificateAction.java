package dev.sealgate.policy;

/** What happens to a recipient that must get encrypted mail but has no usable certificate. */
public enum MissingCertificateAction {
    /** Refuse for that recipient with a DSN naming it. */
    REJECT,
    /** Keep the message for that recipient until a certificate arrives (or the hold times out). */
    HOLD,
    /** Send it unencrypted. */
    SEND_PLAIN
}
