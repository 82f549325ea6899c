package dev.sealgate.queue;

import dev.sealgate.policy.Direction;
import dev.sealgate.smtp.EnvelopeRecipient;
import java.time.Instant;

/**
 * A recipient a delivery worker holds a claim on, with what it needs from its message.
 *
 * @param messageRows how many recipient rows the message has in all, when known (claims handed
 *                    over by the intake); 0 when not known (claims found by the poller)
 */
public record ClaimedRecipient(long id, String messageId, String address, String dsnNotify, String orcpt, String nextHop,
                               String contentFile, int attempts, String sender, String ret, String envid,
                               Instant receivedAt, Direction direction, String subject, int messageRows) {

    public ClaimedRecipient(long id, String messageId, String address, String dsnNotify, String orcpt, String nextHop,
                            String contentFile, int attempts, String sender, String ret, String envid,
                            Instant receivedAt, Direction direction, String subject) {
        this(id, messageId, address, dsnNotify, orcpt, nextHop, contentFile, attempts, sender, ret, envid, receivedAt,
                direction, subject, 0);
    }

    public EnvelopeRecipient asEnvelopeRecipient() {
        return new EnvelopeRecipient(address, dsnNotify, orcpt, null);
    }
}
