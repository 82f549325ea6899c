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
 */
public record TrackingQuery(String sender, String recipient, Instant from, Instant to, MessageStatus status,
                            String direction, int limit) {

    public TrackingQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("tracking query limit must be between 1 and 1000, was " + limit);
        }
    }
}
