package dev.sealgate.tracking;

import java.time.Instant;

/**
 * One entry of the event log: what went wrong (or needs attention), where, and the details an
 * admin needs to act. Details never carry key material, passwords or tokens.
 *
 * @param occurredAt     when it first happened in this entry's aggregation window
 * @param occurrences    how often it happened in the window (identical events are counted, not repeated)
 * @param lastOccurredAt when it last happened; {@code details} are those of the last occurrence
 * @param condition      the standing condition the event reports (e.g. {@code startup.no-own-domains}); null for one-off events
 * @param resolvedAt     when the condition was found gone; null while it stands (and for one-off events)
 * @param resolution     what resolved it
 * @param trackingId     the tracking id of the message the event was raised for; null when it is about no one message
 * @param messageId      that message's Message-ID header (without angle brackets); null when it is about no one message or had none
 */
public record Event(long id, Instant occurredAt, Severity severity, String source, String message, String details,
                    int occurrences, Instant lastOccurredAt, String condition, Instant resolvedAt, String resolution,
                    String trackingId, String messageId) {
}
