package dev.sealgate.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link SharedCounters} in the database (table {@code cluster_counter}), so that a rate limit holds
 * for the cluster, not per node. One increment is one short transaction: an update of the row, an
 * insert when there is none (a concurrent insert of another node is absorbed by
 * {@code ON CONFLICT DO NOTHING} and the update repeated), a read of the count. Keys are stored as
 * SHA-256, so that a link token used as a key is not in the database. Expired windows are deleted
 * at most once a minute, by whichever node increments then. Measured in bench/RESULTS.md; see
 * docs/adr/0107-cluster-wide-counters-in-the-database.md.
 */
public final class DatabaseCounters implements SharedCounters {

    private static final long PURGE_EVERY_MILLIS = 60_000;

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final TransactionTemplate transactions;
    private final AtomicLong lastPurge = new AtomicLong();

    public DatabaseCounters(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.batch = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @Override
    public long increment(String counter, String key, Instant now, Duration window) {
        return add(counter, key, now, window, 1);
    }

    /**
     * Adds {@code delta} (at least 1) to the counter of {@code key} in the window that holds {@code now}
     * and returns the count, these included: one transaction however large the delta, so a node can
     * hand in what it counted in memory in one go ({@link ClusterClientCounters}).
     */
    public long add(String counter, String key, Instant now, Duration window, long delta) {
        if (delta < 1) {
            throw new IllegalArgumentException("delta must be at least 1, was " + delta);
        }
        purgeExpired(now);
        long start = SharedCounters.windowStart(now, window);
        String hashed = hash(key);
        OffsetDateTime expires = OffsetDateTime.ofInstant(Instant.ofEpochMilli(start).plus(window.multipliedBy(2)), ZoneOffset.UTC);
        Long count = transactions.execute(status -> {
            int updated = jdbc.sql("UPDATE cluster_counter SET hits = hits + ?"
                            + " WHERE counter_name = ? AND counter_key = ? AND window_start = ?")
                    .params(delta, counter, hashed, start).update();
            if (updated == 0 && jdbc.sql("INSERT INTO cluster_counter (counter_name, counter_key, window_start, expires_at, hits)"
                            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                    .params(counter, hashed, start, expires, delta).update() == 0) {
                jdbc.sql("UPDATE cluster_counter SET hits = hits + ? WHERE counter_name = ? AND counter_key = ? AND window_start = ?")
                        .params(delta, counter, hashed, start).update();
            }
            return read(counter, hashed, start);
        });
        return count == null ? 0 : count;
    }

    @Override
    public long count(String counter, String key, Instant at, Duration window) {
        return read(counter, hash(key), SharedCounters.windowStart(at, window));
    }

    /** What to add to one counter of one key in one window (the window given by its start and length). */
    public record Addition(String counter, String key, long windowStart, Duration window, long delta) {
        public Addition {
            if (delta < 1) {
                throw new IllegalArgumentException("delta must be at least 1, was " + delta);
            }
        }
    }

    /**
     * Adds all of {@code additions} in one transaction (three batched statements at most: update,
     * insert the rows that were missing, update the rows a concurrent node inserted first), in the
     * order of the keys' hashes so that two nodes handing in the same rows lock them in the same
     * order. One commit for any number of keys: what a node syncing its counts needs.
     */
    public void addAll(List<Addition> additions, Instant now) {
        if (additions.isEmpty()) {
            return;
        }
        purgeExpired(now);
        record Row(String counter, String hashed, long start, OffsetDateTime expires, long delta) {
        }
        List<Row> rows = additions.stream()
                .map(a -> new Row(a.counter(), hash(a.key()), a.windowStart(),
                        OffsetDateTime.ofInstant(Instant.ofEpochMilli(a.windowStart()).plus(a.window().multipliedBy(2)), ZoneOffset.UTC),
                        a.delta()))
                .sorted(java.util.Comparator.comparing(Row::counter).thenComparing(Row::hashed).thenComparingLong(Row::start))
                .toList();
        String update = "UPDATE cluster_counter SET hits = hits + ? WHERE counter_name = ? AND counter_key = ? AND window_start = ?";
        transactions.executeWithoutResult(status -> {
            int[] updated = batch.batchUpdate(update, rows.stream().map(r -> new Object[] {r.delta(), r.counter(), r.hashed(), r.start()}).toList());
            List<Row> missing = new java.util.ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                if (updated[i] == 0) {
                    missing.add(rows.get(i));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            int[] inserted = batch.batchUpdate("INSERT INTO cluster_counter (counter_name, counter_key, window_start, expires_at, hits)"
                            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    missing.stream().map(r -> new Object[] {r.counter(), r.hashed(), r.start(), r.expires(), r.delta()}).toList());
            List<Object[]> raced = new java.util.ArrayList<>();
            for (int i = 0; i < missing.size(); i++) {
                if (inserted[i] == 0) {
                    Row r = missing.get(i);
                    raced.add(new Object[] {r.delta(), r.counter(), r.hashed(), r.start()});
                }
            }
            if (!raced.isEmpty()) {
                batch.batchUpdate(update, raced);
            }
        });
    }

    /** One counter's count as stored: the key as its SHA-256 (hex), the window by its start and length. */
    public record Stored(String counter, String hashedKey, long windowStart, long windowMillis, long hits) {
    }

    /**
     * The counts of every key of the counters whose name starts with {@code prefix}, in the windows
     * not over at {@code now}: one query, for a node that wants to know what the others counted.
     */
    public List<Stored> openWindows(String prefix, Instant now) {
        long nowMillis = now.toEpochMilli();
        return jdbc.sql("SELECT counter_name, counter_key, window_start, expires_at, hits FROM cluster_counter"
                        + " WHERE counter_name LIKE ? AND expires_at > ?")
                .params(prefix.replace("%", "\\%").replace("_", "\\_") + "%", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .query((rs, n) -> {
                    long start = rs.getLong("window_start");
                    long expires = rs.getObject("expires_at", OffsetDateTime.class).toInstant().toEpochMilli();
                    return new Stored(rs.getString("counter_name"), rs.getString("counter_key"), start, (expires - start) / 2,
                            rs.getLong("hits"));
                })
                .list().stream().filter(s -> s.windowStart() + s.windowMillis() > nowMillis).toList();
    }

    private long read(String counter, String hashedKey, long windowStart) {
        return jdbc.sql("SELECT hits FROM cluster_counter WHERE counter_name = ? AND counter_key = ? AND window_start = ?")
                .params(counter, hashedKey, windowStart).query(Long.class).optional().orElse(0L);
    }

    private void purgeExpired(Instant now) {
        long last = lastPurge.get();
        if (now.toEpochMilli() - last >= PURGE_EVERY_MILLIS && lastPurge.compareAndSet(last, now.toEpochMilli())) {
            jdbc.sql("DELETE FROM cluster_counter WHERE expires_at < ?").param(OffsetDateTime.ofInstant(now, ZoneOffset.UTC)).update();
        }
    }

    /** A key as the table stores it: its SHA-256, hex. */
    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
