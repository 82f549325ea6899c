package dev.sealgate.policy;

/** The cases in which the gateway answers "550 5.7.1 Unable to relay". */
public enum RelayRejection {
    /** Inbound, and the envelope sender is an address of an own domain. */
    INBOUND_OWN_SENDER,
    /** Outbound, and the envelope sender is not an address of an own domain. */
    OUTBOUND_FOREIGN_SENDER,
    /** Inbound, and the recipient's domain is not an own domain. */
    INBOUND_FOREIGN_RECIPIENT,
    /** No message-flow rule matches. */
    NO_MATCHING_RULE
}
