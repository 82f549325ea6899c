package dev.sealgate.policy;

/** Whether outbound mail to a recipient is encrypted. */
public enum EncryptionMode {
    /** Always; a recipient without a usable certificate gets the missing-certificate action. */
    MANDATORY,
    /** When every recipient that is up for opportunistic encryption has a usable certificate. */
    OPPORTUNISTIC,
    /** Only when the sender asks for it (add-in flag or {@code [encrypt]} in the subject). */
    WHEN_REQUESTED,
    NEVER
}
