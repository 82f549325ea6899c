package dev.sealgate.certs;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The certificate store's read cache (ADR 0197): an entry lives at most {@code ttl}, the cache
 * holds at most {@code maxEntries} (when full it is emptied and fills again), and
 * {@link #invalidate} drops everything. A value loaded while an invalidation happened is handed to
 * its caller but not kept, so a look-up that read the store before a change cannot put the old
 * answer back after the change dropped it. Thread-safe; a {@code ttl} of zero caches nothing.
 */
final class LookupCache<K, V> {

    private record Entry<V>(V value, long loadedAt) {
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;
    private final AtomicLong epoch;

    /** @param epoch shared by the caches that one {@link #invalidate} of any of them must drop together */
    LookupCache(Duration ttl, int maxEntries, LongSupplier nanoTime, AtomicLong epoch) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
        this.epoch = epoch;
    }

    /** The cached value while it is younger than the TTL, else (and when absent) the loader's, kept for next time. */
    V get(K key, Function<K, V> loader) {
        if (ttlNanos <= 0) {
            return loader.apply(key);
        }
        long now = nanoTime.getAsLong();
        Entry<V> entry = entries.get(key);
        if (entry != null && now - entry.loadedAt() < ttlNanos && entry.loadedAt() - now <= 0) {
            return entry.value();
        }
        long before = epoch.get();
        V value = loader.apply(key);
        if (value != null) {
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
            entries.put(key, new Entry<>(value, now));
            if (epoch.get() != before) {
                // changed while loading: the value may be older than the change, so it is not kept
                entries.remove(key);
            }
        }
        return value;
    }

    /** Drops the entry of one key, for a caller that found the cached value no longer fits. */
    void remove(K key) {
        entries.remove(key);
    }

    /** Drops every entry, and keeps loads under way from storing what they read before. */
    void invalidate() {
        epoch.incrementAndGet();
        entries.clear();
    }

    int size() {
        return entries.size();
    }
}
