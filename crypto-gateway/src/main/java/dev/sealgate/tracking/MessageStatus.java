package dev.sealgate.tracking;

import java.util.Collection;

/**
 * The final status of a message in tracking, derived from its recipients' states:
 * {@code PutOnHold} while any recipient is held, {@code DeliveryPending} while any waits for its
 * first attempt, {@code TemporarilyBlocked} while any waits for a retry after a 4xx or an
 * unreachable next hop, then {@code Success}, {@code PartialSuccess} or
 * {@code PermanentlyBlocked}.
 */
public enum MessageStatus {
    Success,
    PartialSuccess,
    DeliveryPending,
    TemporarilyBlocked,
    PermanentlyBlocked,
    PutOnHold;

    /** A recipient's state with its attempt count, as input to {@link #of}. */
    public record RecipientState(RecipientStatus status, int attempts) {
    }

    public static MessageStatus of(Collection<RecipientState> recipients) {
        if (recipients.stream().anyMatch(r -> r.status() == RecipientStatus.HELD)) {
            return PutOnHold;
        }
        if (recipients.stream().anyMatch(r -> r.status() == RecipientStatus.PENDING && r.attempts() > 0)) {
            return TemporarilyBlocked;
        }
        if (recipients.stream().anyMatch(r -> r.status() == RecipientStatus.PENDING)) {
            return DeliveryPending;
        }
        long delivered = recipients.stream().filter(r -> r.status() == RecipientStatus.DELIVERED).count();
        if (delivered == recipients.size() && delivered > 0) {
            return Success;
        }
        return delivered == 0 ? PermanentlyBlocked : PartialSuccess;
    }
}
