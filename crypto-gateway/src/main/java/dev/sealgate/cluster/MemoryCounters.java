package dev.sealgate.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link SharedCounters} in this node's memory, for a component used without a database (tests,
 * tools). Keeps the current and the previous window of each key; older ones are dropped.
 */
public final class MemoryCounters implements SharedCounters {

    private static final int MAX_ENTRIES = 200_000;

    private record Key(String counter, String key, long windowStart) {
    }

    private final Map<Key, AtomicLong> counts = new ConcurrentHashMap<>();

    @Override
    public long increment(String counter, String key, Instant now, Duration window) {
        long start = SharedCounters.windowStart(now, window);
        if (counts.size() > MAX_ENTRIES) {
            counts.keySet().removeIf(k -> k.windowStart() < start - window.toMillis());
        }
        return counts.computeIfAbsent(new Key(counter, key, start), k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public long count(String counter, String key, Instant at, Duration window) {
        AtomicLong count = counts.get(new Key(counter, key, SharedCounters.windowStart(at, window)));
        return count == null ? 0 : count.get();
    }
}
