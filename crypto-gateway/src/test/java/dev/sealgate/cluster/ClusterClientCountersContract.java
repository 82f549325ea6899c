package dev.sealgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The SMTP per-client counters of a cluster: two nodes, each with its own
 * {@link ClusterClientCounters} on one database, meet one limit once they synced; a node whose
 * database does not answer keeps counting on its own and hands its counts in later. Run on H2 and
 * on PostgreSQL. The nodes sync when the test says so (interval zero), so nothing here waits.
 */
interface ClusterClientCountersContract {

    Duration MINUTE = Duration.ofMinutes(1);
    Instant T0 = Instant.parse("2026-08-01T10:00:00Z");

    DataSource dataSource();

    private ClusterClientCounters node(DataSource dataSource, Instant now) {
        return new ClusterClientCounters(new DatabaseCounters(dataSource), Duration.ZERO, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static String client() {
        return "192.0.2." + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    default void shouldCountWhatTheOtherNodeCountedOnceBothSynced() {
        ClusterClientCounters a = node(dataSource(), T0.plusSeconds(10));
        ClusterClientCounters b = node(dataSource(), T0.plusSeconds(10));
        String client = client();
        for (int i = 1; i <= 3; i++) {
            assertThat(a.increment("messages", client, T0.plusSeconds(i), MINUTE)).isEqualTo(i);
        }
        assertThat(b.increment("messages", client, T0.plusSeconds(4), MINUTE)).as("before a sync, b knows only its own").isEqualTo(1);

        a.sync();
        b.sync();

        assertThat(b.increment("messages", client, T0.plusSeconds(5), MINUTE)).as("3 on a, 2 on b").isEqualTo(5);
        b.sync();
        a.sync();
        assertThat(a.increment("messages", client, T0.plusSeconds(6), MINUTE)).as("3 + 1 on a, 2 on b").isEqualTo(6);
        assertThat(a.increment("messages", client(), T0.plusSeconds(6), MINUTE)).as("another client").isEqualTo(1);
        assertThat(a.increment("recipients", client, T0.plusSeconds(6), MINUTE)).as("another counter").isEqualTo(1);
    }

    @Test
    default void shouldBringTheCountAlongWhenAClientMovesToANodeThatHasNotSeenItYet() {
        ClusterClientCounters a = node(dataSource(), T0.plusSeconds(10));
        ClusterClientCounters fresh = node(dataSource(), T0.plusSeconds(10));
        String client = client();
        for (int i = 0; i < 5; i++) {
            a.increment("connections", client, T0, MINUTE);
        }
        a.sync();
        fresh.sync();

        assertThat(fresh.increment("connections", client, T0.plusSeconds(20), MINUTE)).isEqualTo(6);
        assertThat(fresh.increment("connections", client, T0.plusSeconds(60), MINUTE)).as("the next window").isEqualTo(1);
    }

    @Test
    default void shouldLoseNothingWhenTwoNodesHandInTheSameClientsAtOnce() throws Exception {
        ClusterClientCounters a = node(dataSource(), T0.plusSeconds(10));
        ClusterClientCounters b = node(dataSource(), T0.plusSeconds(10));
        String prefix = client();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 200; i++) {
                    a.increment("recipients", prefix + "-" + i, T0, MINUTE);
                    b.increment("recipients", prefix + "-" + (199 - i), T0, MINUTE);
                }
                var syncA = pool.submit(a::sync);
                var syncB = pool.submit(b::sync);
                syncA.get();
                syncB.get();
            }
        } finally {
            pool.shutdownNow();
        }
        DatabaseCounters database = new DatabaseCounters(dataSource());
        for (int i = 0; i < 200; i++) {
            assertThat(database.count(ClusterClientCounters.PREFIX + "recipients", prefix + "-" + i, T0, MINUTE)).as("client " + i)
                    .isEqualTo(6);
        }
        a.sync();
        assertThat(a.increment("recipients", prefix + "-7", T0, MINUTE)).as("3 + 1 on a, 3 on b").isEqualTo(7);
    }

    @Test
    default void shouldNotCountAHandedInIncrementTwice() {
        ClusterClientCounters a = node(dataSource(), T0.plusSeconds(10));
        String client = client();
        a.increment("connections", client, T0, MINUTE);
        a.increment("connections", client, T0, MINUTE);
        a.sync();
        a.sync();

        assertThat(a.increment("connections", client, T0, MINUTE)).isEqualTo(3);
        assertThat(new DatabaseCounters(dataSource()).count(ClusterClientCounters.PREFIX + "connections", client, T0, MINUTE)).as("handed in: the first two").isEqualTo(2);
        a.sync();
        assertThat(new DatabaseCounters(dataSource()).count(ClusterClientCounters.PREFIX + "connections", client, T0, MINUTE)).isEqualTo(3);
    }

    @Test
    default void shouldStartAtZeroInTheNextWindowAndForgetTheWindowThatIsOver() {
        String client = client();
        ClusterClientCounters a = node(dataSource(), T0.plusSeconds(61));
        a.increment("messages", client, T0.plusSeconds(1), MINUTE);

        assertThat(a.increment("messages", client, T0.plusSeconds(60), MINUTE)).isEqualTo(1);
        a.sync();
        assertThat(a.size()).as("the window that began at T0 is over at the sync").isEqualTo(1);
    }

    @Test
    default void shouldKeepCountingOnTheNodeWhileTheDatabaseFailsAndHandTheCountsInLater() {
        AtomicBoolean down = new AtomicBoolean();
        DataSource real = dataSource();
        DataSource flaky = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (down.get() && method.getName().equals("getConnection")) {
                        throw new SQLException("the database is down (test)");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ClusterClientCounters a = node(flaky, T0.plusSeconds(10));
        String client = client();
        down.set(true);

        assertThat(a.increment("messages", client, T0, MINUTE)).isEqualTo(1);
        assertThat(a.increment("messages", client, T0, MINUTE)).as("an increment never needs the database").isEqualTo(2);
        assertThatThrownBy(a::sync).isInstanceOf(RuntimeException.class);
        assertThat(a.increment("messages", client, T0, MINUTE)).isEqualTo(3);

        down.set(false);
        a.sync();
        assertThat(new DatabaseCounters(real).count(ClusterClientCounters.PREFIX + "messages", client, T0, MINUTE)).as("nothing lost while the database was down")
                .isEqualTo(3);
    }
}
