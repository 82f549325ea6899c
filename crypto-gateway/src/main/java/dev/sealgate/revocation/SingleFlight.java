package dev.sealgate.revocation;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;

/**
 * One fetch per key at a time: a second caller for a key already being fetched waits for that
 * fetch instead of starting its own (a prefetch and a session asking for the same CRL make one
 * request to the CA).
 */
final class SingleFlight<K, V> {

    interface Fetch<V> {
        V get() throws IOException;
    }

    private final ConcurrentMap<K, CompletableFuture<V>> running = new ConcurrentHashMap<>();

    V run(K key, Fetch<V> fetch) throws IOException {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> other = running.putIfAbsent(key, mine);
        if (other != null) {
            try {
                return other.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + key, e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().toString(), e.getCause());
            }
        }
        try {
            V value = fetch.get();
            mine.complete(value);
            return value;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, mine);
        }
    }
}
