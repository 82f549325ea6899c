package dev.sealgate.smtp;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link ClientCounters} in this node's memory. Counters of past windows are dropped when a new
 * window starts, so the map holds at most the clients of the current window.
 */
public final class InMemoryClientCounters implements ClientCounters {

    private record Key(String counter, String client) {
    }

    private record Count(long windowStart, AtomicLong value) {
    }

    private final Map<Key, Count> counts = new ConcurrentHashMap<>();
    private volatile long currentWindow = Long.MIN_VALUE;

    @Override
    public long increment(String counter, String client, Instant now, Duration window) {
        long start = now.toEpochMilli() - Math.floorMod(now.toEpochMilli(), window.toMillis());
        if (start > currentWindow) {
            currentWindow = start;
            counts.values().removeIf(c -> c.windowStart() < start);
        }
        Count count = counts.compute(new Key(counter, client), (k, c) -> c == null || c.windowStart() != start
                ? new Count(start, new AtomicLong()) : c);
        return count.value().incrementAndGet();
    }
}
