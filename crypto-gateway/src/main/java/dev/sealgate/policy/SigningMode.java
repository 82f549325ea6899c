package dev.sealgate.policy;

/** Whether outbound mail of a sender is signed. */
public enum SigningMode {
    /** Always: hold the message while the sender's certificate is enrolled, refuse with a DSN when none can be had. */
    ALWAYS,
    /** When the sender has a usable signing key. */
    WHEN_KEY_EXISTS,
    NEVER
}
