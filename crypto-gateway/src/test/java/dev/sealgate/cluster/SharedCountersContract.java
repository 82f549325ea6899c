package dev.sealgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every counter store does; run in memory, and in the database on H2 and on PostgreSQL. */
public interface SharedCountersContract {

    Duration MINUTE = Duration.ofMinutes(1);

    /** Two handles on one store, as two nodes have them (the same object for the memory store). */
    SharedCounters node();

    private static String key() {
        return "192.0.2." + UUID.randomUUID();
    }

    @Test
    default void shouldCountPerKeyWithinOneFixedWindow() {
        Instant t0 = Instant.parse("2026-07-01T10:00:00Z");
        String key = key();
        SharedCounters counters = node();

        assertThat(counters.increment("portal", key, t0, MINUTE)).isEqualTo(1);
        assertThat(counters.increment("portal", key, t0.plusSeconds(59), MINUTE)).isEqualTo(2);
        assertThat(counters.increment("portal", key(), t0, MINUTE)).as("another key").isEqualTo(1);
        assertThat(counters.increment("other", key, t0, MINUTE)).as("another counter").isEqualTo(1);
        assertThat(counters.count("portal", key, t0.plusSeconds(30), MINUTE)).isEqualTo(2);
    }

    @Test
    default void shouldStartAtZeroInTheNextWindowAndKeepThePreviousOneReadable() {
        Instant t0 = Instant.parse("2026-07-02T10:00:00Z");
        String key = key();
        SharedCounters counters = node();
        counters.increment("portal", key, t0, MINUTE);
        counters.increment("portal", key, t0.plusSeconds(1), MINUTE);

        assertThat(counters.increment("portal", key, t0.plusSeconds(60), MINUTE)).isEqualTo(1);
        assertThat(counters.count("portal", key, t0, MINUTE)).isEqualTo(2);
        assertThat(counters.count("portal", key(), t0, MINUTE)).isZero();
    }

    @Test
    default void shouldLoseNoIncrementWhenNodesCountTheSameKeyAtOnce() throws Exception {
        Instant t0 = Instant.parse("2026-07-03T10:00:00Z");
        String key = key();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Callable<Long>> increments = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            SharedCounters counters = node();
            increments.add(() -> counters.increment("smtp-messages", key, t0, MINUTE));
        }
        List<Long> seen = new ArrayList<>();
        for (Future<Long> f : pool.invokeAll(increments)) {
            seen.add(f.get());
        }
        pool.shutdown();

        assertThat(node().count("smtp-messages", key, t0, MINUTE)).isEqualTo(60);
        assertThat(seen).as("each increment saw its own count").doesNotHaveDuplicates().hasSize(60);
    }
}
