package dev.sealgate.policy;

/** Inbound encrypted mail for which the gateway holds no key. */
public enum UndecryptableAction {
    /** Deliver it as it came, for the recipient's own client to decrypt. */
    DELIVER_ENCRYPTED,
    REJECT
}
