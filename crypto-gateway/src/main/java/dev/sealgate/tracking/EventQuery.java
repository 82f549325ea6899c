package dev.sealgate.tracking;

import java.time.Instant;

/**
 * Filter for the event log; null fields do not filter.
 *
 * @param from            only events that last happened at or after this
 * @param to              only events that first happened before this
 * @param minimumSeverity only events at least this severe
 * @param limit           at most this many, newest first (1 to 1000)
 * @param unresolved      true: only events whose condition stands (one-off events count as standing); false: only resolved ones
 * @param message         only events raised for this message: its tracking id, or its Message-ID (with or without angle brackets)
 */
public record EventQuery(Instant from, Instant to, Severity minimumSeverity, String source, int limit, Boolean unresolved,
                         String message) {

    public EventQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("event query limit must be between 1 and 1000, was " + limit);
        }
    }

    public EventQuery(Instant from, Instant to, Severity minimumSeverity, String source, int limit, Boolean unresolved) {
        this(from, to, minimumSeverity, source, limit, unresolved, null);
    }

    public EventQuery(Instant from, Instant to, Severity minimumSeverity, String source, int limit) {
        this(from, to, minimumSeverity, source, limit, null, null);
    }

    /** The events of one message, by its tracking id or Message-ID, newest first. */
    public static EventQuery ofMessage(String message, int limit) {
        return new EventQuery(null, null, null, null, limit, null, message);
    }

    public static EventQuery latest(int limit) {
        return new EventQuery(null, null, null, null, limit);
    }
}
