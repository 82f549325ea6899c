package dev.sealgate.tracking;

/** Where one recipient of a message stands. */
public enum RecipientStatus {
    /** Waiting for delivery (first attempt or retry). */
    PENDING,
    /** Kept back by policy until an admin releases or deletes it. */
    HELD,
    /** The next hop accepted it. */
    DELIVERED,
    /** Refused permanently, given up after the maximum age, or rejected by policy. */
    FAILED,
    /** Deleted by an admin while held. */
    DELETED
}
