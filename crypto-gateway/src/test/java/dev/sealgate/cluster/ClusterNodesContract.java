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
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What the node registry must do; run on H2 and on PostgreSQL, with fixed instants. */
public interface ClusterNodesContract {

    DataSource dataSource();

    private ClusterNodes nodes() {
        return new ClusterNodes(dataSource());
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
    }

    private ClusterNodes.Node node(String id, Instant now) {
        return nodes().nodes(now, Duration.ofSeconds(60)).stream().filter(n -> n.nodeId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    default void shouldBeAliveUntilTheTakeoverTimeAfterItsLastHeartbeat() {
        Instant t0 = Instant.parse("2026-05-01T10:00:00Z");
        String id = unique("node");
        nodes().started(id, t0);
        nodes().heartbeat(id, t0.plusSeconds(10));

        assertThat(node(id, t0.plusSeconds(70)).alive()).isTrue();
        assertThat(node(id, t0.plusSeconds(71)).alive()).isFalse();
        assertThat(node(id, t0.plusSeconds(71)).startedAt()).isEqualTo(t0);
        assertThat(node(id, t0.plusSeconds(71)).lastSeenAt()).isEqualTo(t0.plusSeconds(10));
    }

    @Test
    default void shouldNeverMoveALastHeartbeatBack() {
        Instant t0 = Instant.parse("2026-05-02T10:00:00Z");
        String id = unique("node");
        nodes().heartbeat(id, t0.plusSeconds(20));
        nodes().heartbeat(id, t0);

        assertThat(node(id, t0.plusSeconds(20)).lastSeenAt()).isEqualTo(t0.plusSeconds(20));
    }

    @Test
    default void shouldRecordARestartAsANewStart() {
        Instant t0 = Instant.parse("2026-05-03T10:00:00Z");
        String id = unique("node");
        nodes().started(id, t0);
        nodes().started(id, t0.plusSeconds(600));

        assertThat(node(id, t0.plusSeconds(600)).startedAt()).isEqualTo(t0.plusSeconds(600));
    }

    @Test
    default void shouldKeepOneRowWhenManyThreadsBeatForANewNodeAtOnce() throws Exception {
        Instant t0 = Instant.parse("2026-05-04T10:00:00Z");
        String id = unique("node");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Callable<Void>> beats = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Instant at = t0.plusSeconds(i);
            beats.add(() -> {
                nodes().heartbeat(id, at);
                return null;
            });
        }
        for (Future<Void> f : pool.invokeAll(beats)) {
            f.get();
        }
        pool.shutdown();

        assertThat(nodes().nodes(t0, Duration.ofSeconds(60))).filteredOn(n -> n.nodeId().equals(id)).hasSize(1);
        assertThat(node(id, t0).lastSeenAt()).isEqualTo(t0.plusSeconds(11));
    }
}
