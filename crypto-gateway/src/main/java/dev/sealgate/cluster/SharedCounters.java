package dev.sealgate.cluster;

import java.time.Duration;
import java.time.Instant;

/**
 * Counters in fixed windows (a window starts at a multiple of its length since the epoch), for rate
 * limits: in the database, every node counts into the same row ({@link DatabaseCounters}); in
 * memory, per node ({@link MemoryCounters}). The SMTP per-client counters have the same shape.
 */
public interface SharedCounters {

    /** Adds one to the counter of {@code key} in the window that holds {@code now}; returns the count, this one included. */
    long increment(String counter, String key, Instant now, Duration window);

    /** The count of {@code key} in the window that holds {@code at}, 0 when none. */
    long count(String counter, String key, Instant at, Duration window);

    /** Start of the window that holds {@code at}, in epoch milliseconds. */
    static long windowStart(Instant at, Duration window) {
        long millis = at.toEpochMilli();
        return millis - Math.floorMod(millis, window.toMillis());
    }
}
