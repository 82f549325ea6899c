package dev.sealgate.queue;

import dev.sealgate.smtp.Envelope;
import dev.sealgate.tracking.RecipientStatus;
import java.time.Instant;
import java.util.List;

/**
 * A message to put into the queue, with its tracking data.
 *
 * @param id               queue id
 * @param receivedAt       when DATA ended
 * @param envelope         the SMTP envelope
 * @param headerFrom       the From header; null when absent
 * @param subject          the Subject header; null when absent
 * @param size             size in bytes as received
 * @param cryptoOperations JSON array of the pipeline's operations and results
 * @param recipients       recipients with their next hop, content file and initial state
 * @param headerMessageId  the Message-ID header without angle brackets, for the search in tracking; null when absent
 */
public record NewMessage(String id, Instant receivedAt, Envelope envelope, String headerFrom, String subject, long size,
                         String cryptoOperations, List<Recipient> recipients, String headerMessageId) {

    /** A message without a Message-ID header worth searching for (notices the gateway writes itself). */
    public NewMessage(String id, Instant receivedAt, Envelope envelope, String headerFrom, String subject, long size,
                      String cryptoOperations, List<Recipient> recipients) {
        this(id, receivedAt, envelope, headerFrom, subject, size, cryptoOperations, recipients, null);
    }

    /** One recipient row. */
    public record Recipient(String address, String dsnNotify, String orcpt, String nextHop, String contentFile,
                            RecipientStatus status, String detail) {
    }
}
