package dev.sealgate.queue;

import java.time.Instant;
import java.util.List;

/**
 * A message with recipients still waiting for delivery, for the admin's queue view (what
 * {@code postqueue -p} shows).
 *
 * @param messageId   the gateway's message id
 * @param receivedAt  when the gateway accepted it
 * @param sender      envelope sender ({@code ""} for a bounce)
 * @param subject     subject, when known
 * @param nextHop     where it goes
 * @param recipients  recipients still waiting
 * @param attempts    delivery attempts so far (the highest of its recipients)
 * @param nextAttempt when the next attempt is due
 * @param lastReply   the next hop's last answer, or why the gateway could not reach it
 */
public record QueuedMessage(String messageId, Instant receivedAt, String sender, String subject, String nextHop,
                            List<String> recipients, int attempts, Instant nextAttempt, String lastReply) {

    /** The same message without the subject (for a caller who may not read message content). */
    public QueuedMessage withoutSubject() {
        return new QueuedMessage(messageId, receivedAt, sender, null, nextHop, recipients, attempts, nextAttempt, lastReply);
    }
}
