package dev.sealgate.files;

import dev.sealgate.cluster.SharedCounters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Counts events per key and refuses once a key used up its limit, over a sliding window estimated
 * from two fixed windows of {@link SharedCounters} (the previous one weighted by how much of it is
 * still inside the window), so that the limit does not reset at a window boundary. With the
 * database counters the limit holds for the whole cluster, not per node.
 */
final class RateLimiter {

    private final String counter;
    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final SharedCounters counters;

    RateLimiter(String counter, int limit, Duration window, Clock clock, SharedCounters counters) {
        this.counter = counter;
        this.limit = limit;
        this.window = window;
        this.clock = clock;
        this.counters = counters;
    }

    /** Records one event for {@code key}; false when the key had used up its limit in the window. */
    boolean tryAcquire(String key) {
        Instant now = clock.instant();
        long current = counters.increment(counter, key, now, window);
        return estimate(key, now, current) <= limit;
    }

    /** True when {@code key} has used up its limit, without counting an event. */
    boolean exhausted(String key) {
        Instant now = clock.instant();
        return estimate(key, now, counters.count(counter, key, now, window)) >= limit;
    }

    private double estimate(String key, Instant now, long current) {
        long start = SharedCounters.windowStart(now, window);
        double stillInside = 1.0 - (double) (now.toEpochMilli() - start) / window.toMillis();
        long previous = counters.count(counter, key, now.minus(window), window);
        return previous * stillInside + current;
    }
}
