package dev.sealgate.tracking;

import java.time.Instant;

/**
 * A search in message tracking; null fields do not filter.
 *
 * @param sender    envelope sender or header From contains this (case-insensitive)
 * @param recipient a recipient contains this (case-insensitive)
 * @param from      received at or after
 * @param to        received before
 * @param status    final status
 * @param direction INBOUND or OUTBOUND
 * @param limit     at most this many, newest first (1 to 1000)
 * @param subject   the Subject header contains this (case-insensitive)
 * @param messageId the Message-ID header is this, with or without its angle brackets (exact: it is an identifier)
 */
public record TrackingQuery(String sender, String recipient, Instant from, Instant to, MessageStatus status,
                            String direction, int limit, String subject, String messageId) {

    public TrackingQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("tracking query limit must be between 1 and 1000, was " + limit);
        }
    }

    public TrackingQuery(String sender, String recipient, Instant from, Instant to, MessageStatus status, String direction, int limit) {
        this(sender, recipient, from, to, status, direction, limit, null, null);
    }

    /** A Message-ID as tracking keeps it: without surrounding white space and angle brackets. */
    public static String normalMessageId(String value) {
        if (value == null) {
            return null;
        }
        String id = value.strip();
        if (id.startsWith("<") && id.endsWith(">") && id.length() >= 2) {
            id = id.substring(1, id.length() - 1).strip();
        }
        return id.isEmpty() ? null : id;
    }
}
