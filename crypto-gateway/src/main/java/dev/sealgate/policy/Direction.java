package dev.sealgate.policy;

/**
 * The direction of a message: from a company mail server out to the internet, or from the
 * internet in to the organisation. Decided by the connecting address alone (see
 * {@link RelayPolicy#directionOf}).
 */
public enum Direction {
    INBOUND,
    OUTBOUND
}
