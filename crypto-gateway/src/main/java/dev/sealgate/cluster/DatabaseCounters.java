package dev.sealgate.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
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
    private final TransactionTemplate transactions;
    private final AtomicLong lastPurge = new AtomicLong();

    public DatabaseCounters(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @Override
    public long increment(String counter, String key, Instant now, Duration window) {
        purgeExpired(now);
        long start = SharedCounters.windowStart(now, window);
        String hashed = hash(key);
        OffsetDateTime expires = OffsetDateTime.ofInstant(Instant.ofEpochMilli(start).plus(window.multipliedBy(2)), ZoneOffset.UTC);
        Long count = transactions.execute(status -> {
            int updated = jdbc.sql("UPDATE cluster_counter SET hits = hits + 1"
                            + " WHERE counter_name = ? AND counter_key = ? AND window_start = ?")
                    .params(counter, hashed, start).update();
            if (updated == 0 && jdbc.sql("INSERT INTO cluster_counter (counter_name, counter_key, window_start, expires_at, hits)"
                            + " VALUES (?, ?, ?, ?, 1) ON CONFLICT DO NOTHING")
                    .params(counter, hashed, start, expires).update() == 0) {
                jdbc.sql("UPDATE cluster_counter SET hits = hits + 1 WHERE counter_name = ? AND counter_key = ? AND window_start = ?")
                        .params(counter, hashed, start).update();
            }
            return read(counter, hashed, start);
        });
        return count == null ? 0 : count;
    }

    @Override
    public long count(String counter, String key, Instant at, Duration window) {
        return read(counter, hash(key), SharedCounters.windowStart(at, window));
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

    private static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
