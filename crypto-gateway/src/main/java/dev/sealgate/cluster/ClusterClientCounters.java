package dev.sealgate.cluster;

import dev.sealgate.smtp.ClientCounters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP per-client counters of a cluster: every node counts in its own memory, as
 * {@link dev.sealgate.smtp.InMemoryClientCounters} does, and a background thread hands what it
 * counted to the database ({@link DatabaseCounters}, table {@code cluster_counter}) and reads what
 * the other nodes counted, once per sync interval. A count is "what the others had counted at the
 * last sync + everything counted here", so a client that spreads its connections over the nodes
 * meets one limit for the cluster.
 *
 * <p>The accept thread and the SMTP sessions never wait for the database (ADR 0086): an increment
 * is a map lookup and two atomic additions. The price is lag: a node learns of the others' counts
 * one interval late, so a client can go over a limit by at most what the other nodes admitted in
 * one interval. A node learns of a client it has not seen yet from the same sync, so a client
 * that moves to another node brings its count along. If the database cannot be reached, the counts stay local (the limit is per node
 * again) and are handed in once it is back. See docs/adr/0155-smtp-limits-cluster-wide.md.
 */
public final class ClusterClientCounters implements ClientCounters, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterClientCounters.class);

    /** The SMTP counters' names in {@code cluster_counter} start with this. */
    static final String PREFIX = "smtp-";

    private record Key(String counter, String client, long windowStart, long windowMillis) {
    }

    private static final class Tally {
        /** Counter, hashed client and window as the database knows them. */
        final String id;
        /** Everything counted on this node in the window. */
        final AtomicLong local = new AtomicLong();
        /** What this node counted and has not handed to the database yet. */
        final AtomicLong unsynced = new AtomicLong();
        /** What this node has handed in (only the sync thread touches it). */
        long synced;
        /** What the other nodes had counted at the last sync. */
        volatile long others;

        Tally(String id, long others) {
            this.id = id;
            this.others = others;
        }
    }

    private final DatabaseCounters database;
    private final Clock clock;
    private final Map<Key, Tally> tallies = new ConcurrentHashMap<>();
    private final ScheduledExecutorService syncer;
    /** The cluster's counts at the last sync, by {@link Tally#id}: what a client this node has not seen yet did elsewhere. */
    private volatile Map<String, Long> cluster = Map.of();
    private volatile boolean databaseFailing;

    /**
     * @param interval how often to sync with the database; {@link Duration#ZERO} starts no thread (the
     *                 caller calls {@link #sync()} itself, as the tests do)
     */
    public ClusterClientCounters(DatabaseCounters database, Duration interval, Clock clock) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the sync interval must not be negative, was " + interval);
        }
        this.database = database;
        this.clock = clock;
        if (interval.isZero()) {
            this.syncer = null;
        } else {
            this.syncer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "smtp-limits-sync");
                thread.setDaemon(true);
                return thread;
            });
            syncer.scheduleWithFixedDelay(this::syncQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public long increment(String counter, String client, Instant now, Duration window) {
        long start = SharedCounters.windowStart(now, window);
        Tally tally = tallies.computeIfAbsent(new Key(counter, client, start, window.toMillis()), k -> {
            String id = id(PREFIX + k.counter(), DatabaseCounters.hash(k.client()), k.windowStart());
            return new Tally(id, cluster.getOrDefault(id, 0L));
        });
        tally.unsynced.incrementAndGet();
        return tally.others + tally.local.incrementAndGet();
    }

    /**
     * Hands in what this node counted since the last sync (one transaction for all clients with
     * news), then reads the cluster's counts of the open windows (one query), and
     * forgets windows that are over.
     */
    public synchronized void sync() {
        Instant now = clock.instant();
        Map<Tally, Long> handedIn = new HashMap<>();
        List<DatabaseCounters.Addition> additions = new ArrayList<>();
        for (Map.Entry<Key, Tally> entry : tallies.entrySet()) {
            Key key = entry.getKey();
            Tally tally = entry.getValue();
            if (key.windowStart() + key.windowMillis() <= now.toEpochMilli()) {
                tallies.remove(key);
                continue;
            }
            long delta = tally.unsynced.getAndSet(0);
            if (delta > 0) {
                handedIn.put(tally, delta);
                additions.add(new DatabaseCounters.Addition(PREFIX + key.counter(), key.client(), key.windowStart(),
                        Duration.ofMillis(key.windowMillis()), delta));
            }
        }
        try {
            database.addAll(additions, now);
        } catch (RuntimeException e) {
            handedIn.forEach((tally, delta) -> tally.unsynced.addAndGet(delta));
            throw e;
        }
        handedIn.forEach((tally, delta) -> tally.synced += delta);
        Map<String, Long> counts = new HashMap<>();
        for (DatabaseCounters.Stored stored : database.openWindows(PREFIX, now)) {
            counts.put(id(stored.counter(), stored.hashedKey(), stored.windowStart()), stored.hits());
        }
        cluster = counts;
        for (Tally tally : tallies.values()) {
            tally.others = Math.max(0, counts.getOrDefault(tally.id, tally.synced) - tally.synced);
        }
    }

    private static String id(String counter, String hashedClient, long windowStart) {
        return counter + ' ' + hashedClient + ' ' + windowStart;
    }

    private void syncQuietly() {
        try {
            sync();
            if (databaseFailing) {
                databaseFailing = false;
                log.info("SMTP client limits are shared with the cluster again");
            }
        } catch (RuntimeException e) {
            if (!databaseFailing) {
                databaseFailing = true;
                log.warn("SMTP client limits cannot be shared through the database, counting on this node only until it answers: {}",
                        e.getClass().getSimpleName());
            }
        }
    }

    /** How many client/counter/window entries this node keeps (for the tests and the measurement). */
    int size() {
        return tallies.size();
    }

    @Override
    public void close() {
        if (syncer != null) {
            syncer.shutdownNow();
        }
    }
}
