package dev.sealgate.queue;

import dev.sealgate.policy.Direction;
import dev.sealgate.smtp.EnvelopeRecipient;
import java.time.Instant;

/** A recipient a delivery worker holds a claim on, with what it needs from its message. */
public record ClaimedRecipient(long id, String messageId, String address, String dsnNotify, String orcpt, String nextHop,
                               String contentFile, int attempts, String sender, String ret, String envid,
                               Instant receivedAt, Direction direction, String subject) {

    public EnvelopeRecipient asEnvelopeRecipient() {
        return new EnvelopeRecipient(address, dsnNotify, orcpt, null);
    }
}
