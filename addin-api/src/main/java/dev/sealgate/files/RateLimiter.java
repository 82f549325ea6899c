package dev.sealgate.files;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts events per key in a sliding window, in memory of this node. A cluster of n nodes therefore
 * allows up to n times the limit; the limits are meant to stop guessing, which stays hopeless either way.
 */
final class RateLimiter {

    private static final int MAX_KEYS = 100_000;

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> events = new ConcurrentHashMap<>();

    RateLimiter(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /** Records one event for {@code key}; false when the key already used up its limit in the window. */
    boolean tryAcquire(String key) {
        Instant now = clock.instant();
        if (events.size() > MAX_KEYS) {
            prune(now);
        }
        Deque<Instant> times = events.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            expire(times, now);
            if (times.size() >= limit) {
                return false;
            }
            times.addLast(now);
            return true;
        }
    }

    /** True when {@code key} has used up its limit, without counting an event. */
    boolean exhausted(String key) {
        Deque<Instant> times = events.get(key);
        if (times == null) {
            return false;
        }
        synchronized (times) {
            expire(times, clock.instant());
            return times.size() >= limit;
        }
    }

    private void expire(Deque<Instant> times, Instant now) {
        Instant cutoff = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.removeFirst();
        }
    }

    private void prune(Instant now) {
        Iterator<Map.Entry<String, Deque<Instant>>> it = events.entrySet().iterator();
        while (it.hasNext()) {
            Deque<Instant> times = it.next().getValue();
            synchronized (times) {
                expire(times, now);
                if (times.isEmpty()) {
                    it.remove();
                }
            }
        }
    }
}
