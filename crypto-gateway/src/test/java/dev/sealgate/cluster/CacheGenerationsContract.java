package dev.sealgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cross-node cache invalidation (ADR 0191): two {@link CacheGenerations} on one database are two
 * nodes; each has its own clock for the check interval, moved by hand. Run on H2 and on PostgreSQL.
 */
public interface CacheGenerationsContract {

    Duration INTERVAL = Duration.ofSeconds(5);

    DataSource dataSource();

    private static String name() {
        return "test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private JdbcClient jdbc() {
        return JdbcClient.create(dataSource());
    }

    /** The value a cache holds: a row of a table of the test's own, "none" when absent. */
    private String valueIn(String table, String key) {
        return jdbc().sql("SELECT v FROM " + table + " WHERE k = ?").param(key).query(String.class).optional().orElse("none");
    }

    private String table() {
        String table = "cache_test_" + UUID.randomUUID().toString().substring(0, 8);
        jdbc().sql("CREATE TABLE " + table + " (k VARCHAR(20) PRIMARY KEY, v VARCHAR(20))").update();
        return table;
    }

    @Test
    default void shouldShowAChangeOnAnotherNodeOnceItsCheckIntervalHasPassed() {
        String name = name();
        String table = table();
        AtomicLong clockA = new AtomicLong();
        AtomicLong clockB = new AtomicLong();
        CacheGenerations nodeA = new CacheGenerations(dataSource(), INTERVAL, clockA::get);
        CacheGenerations nodeB = new CacheGenerations(dataSource(), INTERVAL, clockB::get);
        GenerationalCache<String, String> cacheA = nodeA.cache(name, 100);
        GenerationalCache<String, String> cacheB = nodeB.cache(name, 100);
        assertThat(cacheB.get("k", k -> valueIn(table, k))).isEqualTo("none");

        new TransactionTemplate(new DataSourceTransactionManager(dataSource())).executeWithoutResult(status -> {
            jdbc().sql("INSERT INTO " + table + " (k, v) VALUES ('k', 'new')").update();
            nodeA.bump(name);
        });

        assertThat(cacheA.get("k", k -> valueIn(table, k))).as("the node that made the change, at once").isEqualTo("new");
        clockB.addAndGet(INTERVAL.toNanos() - 1);
        assertThat(cacheB.get("k", k -> valueIn(table, k))).as("within the interval the other node may still hold it").isEqualTo("none");
        clockB.addAndGet(1);
        assertThat(cacheB.get("k", k -> valueIn(table, k))).as("after the interval").isEqualTo("new");
    }

    @Test
    default void shouldSeeEveryChangeAtOnceWithACheckIntervalOfZero() {
        String name = name();
        String table = table();
        GenerationalCache<String, String> cacheB = new CacheGenerations(dataSource(), Duration.ZERO).cache(name, 100);
        CacheGenerations nodeA = new CacheGenerations(dataSource(), Duration.ZERO);
        assertThat(cacheB.get("k", k -> valueIn(table, k))).isEqualTo("none");

        jdbc().sql("INSERT INTO " + table + " (k, v) VALUES ('k', 'v1')").update();
        nodeA.bump(name);

        assertThat(cacheB.get("k", k -> valueIn(table, k))).isEqualTo("v1");
    }

    @Test
    default void shouldLeaveTheGenerationWhereItWasWhenTheChangeRollsBack() {
        String name = name();
        String table = table();
        AtomicInteger loads = new AtomicInteger();
        CacheGenerations nodeA = new CacheGenerations(dataSource(), Duration.ZERO);
        GenerationalCache<String, String> cacheB = new CacheGenerations(dataSource(), Duration.ZERO).cache(name, 100);
        cacheB.get("k", k -> {
            loads.incrementAndGet();
            return valueIn(table, k);
        });

        assertThatThrownBy(() -> new TransactionTemplate(new DataSourceTransactionManager(dataSource())).executeWithoutResult(status -> {
            jdbc().sql("INSERT INTO " + table + " (k, v) VALUES ('k', 'lost')").update();
            nodeA.bump(name);
            throw new IllegalStateException("rolled back");
        })).hasMessage("rolled back");

        assertThat(cacheB.get("k", k -> {
            loads.incrementAndGet();
            return valueIn(table, k);
        })).isEqualTo("none");
        assertThat(loads).as("still cached: nothing changed").hasValue(1);
    }

    @Test
    default void shouldSeeAChangeMadeByHandOnceTheGenerationIsBumpedByHand() {
        String name = name();
        String table = table();
        GenerationalCache<String, String> cache = new CacheGenerations(dataSource(), Duration.ZERO).cache(name, 100);
        assertThat(cache.get("k", k -> valueIn(table, k))).isEqualTo("none");
        jdbc().sql("INSERT INTO " + table + " (k, v) VALUES ('k', 'by hand')").update();
        assertThat(cache.get("k", k -> valueIn(table, k))).as("cached until told").isEqualTo("none");

        jdbc().sql("INSERT INTO cache_generation (cache_name, generation) VALUES (?, 1)").param(name).update();

        assertThat(cache.get("k", k -> valueIn(table, k))).isEqualTo("by hand");
    }

    @Test
    default void shouldNotKeepAValueLoadedWhileTheCacheWasDropped() {
        GenerationalCache<String, String> cache = new CacheGenerations(dataSource(), INTERVAL, () -> 0L).cache(name(), 100);
        AtomicInteger loads = new AtomicInteger();

        String first = cache.get("k", k -> {
            loads.incrementAndGet();
            cache.clear(); // a change committed while this load read the database
            return "stale";
        });
        String second = cache.get("k", k -> {
            loads.incrementAndGet();
            return "fresh";
        });

        assertThat(first).isEqualTo("stale");
        assertThat(second).isEqualTo("fresh");
        assertThat(loads).hasValue(2);
    }

    @Test
    default void shouldLoadAgainOnlyTheKeyThatWasRemoved() {
        GenerationalCache<String, String> cache = new CacheGenerations(dataSource(), INTERVAL, () -> 0L).cache(name(), 100);
        cache.get("a", k -> "A1");
        cache.get("b", k -> "B1");

        cache.remove("a");

        assertThat(cache.get("a", k -> "A2")).isEqualTo("A2");
        assertThat(cache.get("b", k -> "B2")).isEqualTo("B1");
    }

    @Test
    default void shouldLoadOnlyTheMissingKeysInOneCallAndStayBounded() {
        GenerationalCache<String, String> cache = new CacheGenerations(dataSource(), INTERVAL, () -> 0L).cache(name(), 3);
        AtomicInteger calls = new AtomicInteger();
        cache.getAll(List.of("a", "b"), keys -> {
            calls.incrementAndGet();
            return Map.of("a", "A", "b", "B");
        });

        Map<String, String> all = cache.getAll(List.of("a", "b", "c"), keys -> {
            calls.incrementAndGet();
            assertThat(keys).containsExactly("c");
            return Map.of("c", "C");
        });
        cache.getAll(List.of("d", "e"), keys -> Map.of("d", "D", "e", "E"));

        assertThat(all).containsExactly(Map.entry("a", "A"), Map.entry("b", "B"), Map.entry("c", "C"));
        assertThat(calls).hasValue(2);
        assertThat(cache.size()).isLessThanOrEqualTo(3);
        assertThatThrownBy(() -> cache.getAll(List.of("x"), keys -> Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gave no value");
        assertThatThrownBy(() -> cache.get("y", k -> null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    default void shouldRefuseANegativeIntervalAndAnEmptyBound() {
        assertThatThrownBy(() -> new CacheGenerations(dataSource(), Duration.ofMillis(-1)))
                .hasMessageContaining("sealgate.cache.check-interval");
        assertThatThrownBy(() -> new CacheGenerations(dataSource(), INTERVAL).cache(name(), 0))
                .hasMessageContaining("sealgate.cache.max-entries");
    }
}
