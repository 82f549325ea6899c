package dev.sealgate.revocation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A small least-recently-used map with a fixed number of entries; thread-safe. */
final class BoundedCache<K, V> {

    private final Map<K, V> entries;

    BoundedCache(int size) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > size;
            }
        };
    }

    synchronized Optional<V> get(K key) {
        return Optional.ofNullable(entries.get(key));
    }

    synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    synchronized void remove(K key) {
        entries.remove(key);
    }

    synchronized int size() {
        return entries.size();
    }
}
