package dev.sealgate.policy;

/** Whether outbound mail of a sender is signed. */
public enum SigningMode {
    /**
     * Every sender the gateway can sign for (the default, ADR 0091): with the key it holds, or one it
     * enrolls on the fly from the sender's provider; the message is held while the provider works
     * on it. A sender it can neither hold a key for nor enroll (not an own domain, auto-enroll off),
     * or whose enrollment failed for good, is sent unsigned (noted in tracking, an event for the
     * failure). A no-sign request ([nosign], the add-in) is honoured.
     */
    AUTO,
    /** Always: hold the message while the sender's certificate is enrolled, refuse with a DSN when none can be had. */
    ALWAYS,
    /** When the sender has a usable signing key. */
    WHEN_KEY_EXISTS,
    NEVER
}
