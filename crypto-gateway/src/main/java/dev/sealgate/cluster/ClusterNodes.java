package dev.sealgate.cluster;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The nodes of a cluster and their heartbeats, in the database. A node is alive while its last
 * heartbeat is younger than the takeover time; the queue hands the claims of a node that is not
 * to the others (see {@code QueueRepository}). Instants come from the caller, so that the
 * contract tests can use fixed ones; nodes are expected to keep their clocks in sync (NTP).
 */
public class ClusterNodes {

    /** One node as the database last saw it. */
    public record Node(String nodeId, Instant startedAt, Instant lastSeenAt, boolean alive) {
    }

    private final JdbcClient jdbc;

    public ClusterNodes(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** Records that the node (re)started now; also its first heartbeat. */
    public void started(String nodeId, Instant now) {
        if (jdbc.sql("UPDATE cluster_node SET started_at = ?, last_seen_at = ? WHERE node_id = ?")
                .params(ts(now), ts(now), nodeId).update() == 0) {
            insertOrBeat(nodeId, now);
        }
    }

    /** Records that the node is alive now. A heartbeat never moves a node's last-seen time back. */
    public void heartbeat(String nodeId, Instant now) {
        if (jdbc.sql("UPDATE cluster_node SET last_seen_at = ? WHERE node_id = ? AND last_seen_at <= ?")
                .params(ts(now), nodeId, ts(now)).update() == 0
                && jdbc.sql("SELECT COUNT(*) FROM cluster_node WHERE node_id = ?").param(nodeId).query(Integer.class).single() == 0) {
            insertOrBeat(nodeId, now);
        }
    }

    private void insertOrBeat(String nodeId, Instant now) {
        try {
            jdbc.sql("INSERT INTO cluster_node (node_id, started_at, last_seen_at) VALUES (?, ?, ?)")
                    .params(nodeId, ts(now), ts(now)).update();
        } catch (DuplicateKeyException raced) {
            jdbc.sql("UPDATE cluster_node SET last_seen_at = ? WHERE node_id = ? AND last_seen_at <= ?")
                    .params(ts(now), nodeId, ts(now)).update();
        }
    }

    /** Every node known, alive or not, by name. */
    public List<Node> nodes(Instant now, Duration takeoverAfter) {
        Instant stale = now.minus(takeoverAfter);
        return jdbc.sql("SELECT node_id, started_at, last_seen_at FROM cluster_node ORDER BY node_id")
                .query((rs, n) -> {
                    Instant lastSeen = instant(rs.getTimestamp("last_seen_at"));
                    return new Node(rs.getString("node_id"), instant(rs.getTimestamp("started_at")), lastSeen,
                            !lastSeen.isBefore(stale));
                })
                .list();
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime ts(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
