package dev.sealgate.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Cross-node invalidation of read caches through the database (table {@code cache_generation},
 * ADR 0191). Whoever changes data that some cache holds calls {@link #bump} in the same transaction
 * as the change; every node reads all generations in one query at most once per check interval,
 * before a look-up, and drops a cache whose generation moved. So a change committed on node A is
 * seen by a look-up on node B that starts at least {@code checkInterval} after the commit (plus the
 * time of that one query); on node A itself at once (its caches of that name are dropped when the
 * change commits). A check interval of zero reads the generations before every look-up: never
 * stale, one small query per look-up.
 *
 * <p>Use: one instance per node and data source; {@link #cache} for each cache; {@link #bump} with
 * every change of the cached data. A change made behind the service's back (SQL by hand) is seen
 * once someone bumps the generation: {@code UPDATE cache_generation SET generation = generation + 1}.
 */
public final class CacheGenerations {

    private final JdbcClient jdbc;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final List<GenerationalCache<?, ?>> caches = new CopyOnWriteArrayList<>();
    private volatile Map<String, Long> generations = Map.of();
    private volatile long checkedAt;
    private volatile boolean checked;

    /** @param checkInterval at most how long another node's change may stay unseen here (0: check before every look-up) */
    public CacheGenerations(DataSource dataSource, Duration checkInterval) {
        this(dataSource, checkInterval, System::nanoTime);
    }

    /** As above, with the clock of the check interval given (tests). */
    public CacheGenerations(DataSource dataSource, Duration checkInterval, LongSupplier nanoTime) {
        if (checkInterval.isNegative()) {
            throw new IllegalArgumentException("sealgate.cache.check-interval must not be negative, was " + checkInterval);
        }
        this.jdbc = JdbcClient.create(dataSource);
        this.intervalNanos = checkInterval.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * A new cache of the given name holding at most {@code maxEntries} entries (when full, it is
     * emptied and fills again: bounded, and simple). Several caches may share a name; a bump of the
     * name drops them all.
     */
    public <K, V> GenerationalCache<K, V> cache(String name, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("sealgate.cache.max-entries must be at least 1, was " + maxEntries);
        }
        GenerationalCache<K, V> cache = new GenerationalCache<>(this, name, maxEntries);
        caches.add(cache);
        return cache;
    }

    /**
     * Moves the generation of the named cache on, in the caller's transaction when one is active
     * on this data source (Spring-managed), so that other nodes drop their copies once it commits.
     * This node's caches of that name are dropped now and again when the transaction completes.
     */
    public void bump(String name) {
        if (jdbc.sql("UPDATE cache_generation SET generation = generation + 1 WHERE cache_name = ?").param(name).update() == 0
                && jdbc.sql("INSERT INTO cache_generation (cache_name, generation) VALUES (?, 1) ON CONFLICT DO NOTHING")
                        .param(name).update() == 0) {
            // another node inserted the row meanwhile
            jdbc.sql("UPDATE cache_generation SET generation = generation + 1 WHERE cache_name = ?").param(name).update();
        }
        dropLocal(name);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    dropLocal(name);
                }
            });
        }
    }

    /** The generation of the named cache as last read, read again first when the check interval has passed. */
    long generation(String name) {
        if (intervalNanos == 0) {
            return read().getOrDefault(name, 0L);
        }
        if (checked && nanoTime.getAsLong() - checkedAt < intervalNanos) {
            return generations.getOrDefault(name, 0L);
        }
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (!checked || now - checkedAt >= intervalNanos) {
                generations = read();
                // the interval counts from before the read: a commit after this moment is seen by the next check
                checkedAt = now;
                checked = true;
            }
        }
        return generations.getOrDefault(name, 0L);
    }

    private Map<String, Long> read() {
        Map<String, Long> result = new HashMap<>();
        jdbc.sql("SELECT cache_name, generation FROM cache_generation")
                .query(rs -> {
                    result.put(rs.getString(1), rs.getLong(2));
                });
        return result;
    }

    private void dropLocal(String name) {
        for (GenerationalCache<?, ?> cache : caches) {
            if (cache.name().equals(name)) {
                cache.clear();
            }
        }
    }
}
