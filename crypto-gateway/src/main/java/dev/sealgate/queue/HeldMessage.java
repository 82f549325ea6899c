package dev.sealgate.queue;

import java.time.Instant;
import java.util.List;

/** A message (some of) whose recipients policy holds back, with the reason. */
public record HeldMessage(String messageId, Instant receivedAt, String sender, String subject, List<String> recipients,
                          String reason) {

    /** The same message without the subject (for a caller who may not read message content). */
    public HeldMessage withoutSubject() {
        return new HeldMessage(messageId, receivedAt, sender, null, recipients, reason);
    }
}
