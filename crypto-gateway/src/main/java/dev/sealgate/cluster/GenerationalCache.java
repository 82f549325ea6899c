package dev.sealgate.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A bounded read cache that is dropped when its generation in the database moves
 * ({@link CacheGenerations}, ADR 0191). Values must not be null (use {@code Optional} for "none").
 *
 * <p>A value loaded while the cache was dropped is not kept: every look-up notes the cache's epoch
 * before it loads, and a value is stored only if no drop came in between. So a load that read the
 * database before a change committed cannot put its stale value back after the drop.
 */
public final class GenerationalCache<K, V> {

    private final CacheGenerations generations;
    private final String name;
    private final int maxEntries;
    private final ConcurrentHashMap<K, V> entries = new ConcurrentHashMap<>();
    private volatile long seenGeneration = Long.MIN_VALUE;
    private volatile long epoch;

    GenerationalCache(CacheGenerations generations, String name, int maxEntries) {
        this.generations = generations;
        this.name = name;
        this.maxEntries = maxEntries;
    }

    public String name() {
        return name;
    }

    /** The cached value of the key, or what {@code loader} returns for it (then cached). */
    public V get(K key, Function<K, V> loader) {
        long epochBefore = validate();
        V value = entries.get(key);
        if (value != null) {
            return value;
        }
        V loaded = loader.apply(key);
        put(key, loaded, epochBefore);
        return loaded;
    }

    /**
     * The cached values of the keys, in their order; the missing ones from one call of
     * {@code loader}, which must answer every key it is given (then cached).
     */
    public Map<K, V> getAll(Collection<K> keys, Function<List<K>, Map<K, V>> loader) {
        long epochBefore = validate();
        Map<K, V> result = new LinkedHashMap<>();
        List<K> missing = new ArrayList<>();
        for (K key : keys) {
            V value = entries.get(key);
            if (value == null) {
                missing.add(key);
            } else {
                result.put(key, value);
            }
        }
        if (!missing.isEmpty()) {
            Map<K, V> loaded = loader.apply(missing);
            for (K key : missing) {
                V value = loaded.get(key);
                if (value == null) {
                    throw new IllegalStateException("the loader of cache " + name + " gave no value for a key");
                }
                result.put(key, value);
                put(key, value, epochBefore);
            }
        }
        return result;
    }

    /**
     * Drops the entry of one key, for a caller that found the value no longer fits (a certificate
     * that expired since it was chosen); the next look-up of the key loads it again.
     */
    public void remove(K key) {
        entries.remove(key);
    }

    /** Drops every entry (this node only; other nodes learn of changes through {@link CacheGenerations#bump}). */
    public synchronized void clear() {
        entries.clear();
        epoch++;
    }

    /** How many entries are held (tests, metrics). */
    public int size() {
        return entries.size();
    }

    /** Drops the entries when the generation moved; returns the epoch a following load belongs to. */
    private long validate() {
        long generation = generations.generation(name);
        long current = epoch;
        if (generation == seenGeneration) {
            return current;
        }
        synchronized (this) {
            if (generation != seenGeneration) {
                entries.clear();
                epoch++;
                seenGeneration = generation;
            }
            return epoch;
        }
    }

    private synchronized void put(K key, V value, long epochBefore) {
        if (value == null) {
            throw new IllegalArgumentException("cache " + name + " holds no null values");
        }
        if (epochBefore != epoch) {
            return;
        }
        if (entries.size() >= maxEntries && !entries.containsKey(key)) {
            entries.clear();
        }
        entries.put(key, value);
    }
}
