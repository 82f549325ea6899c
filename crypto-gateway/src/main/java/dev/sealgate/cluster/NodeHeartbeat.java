package dev.sealgate.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this node's heartbeat every interval, on its own thread. A heartbeat that fails (the
 * database is away) is logged and tried again at the next interval; should it stay away for the
 * takeover time, the other nodes take over this node's claims, and a delivery in flight may then
 * be made twice: more than once, never lost.
 */
public final class NodeHeartbeat {

    private static final Logger log = LoggerFactory.getLogger(NodeHeartbeat.class);

    private final ClusterNodes nodes;
    private final String nodeId;
    private final Duration interval;
    private final Clock clock;
    private ScheduledExecutorService timer;
    private volatile boolean failing;

    /**
     * @param interval      time between heartbeats; must be less than half the takeover time, so that
     *                      one missed heartbeat does not cost a live node its claims
     * @param takeoverAfter how long the other nodes wait for a missing heartbeat
     */
    public NodeHeartbeat(ClusterNodes nodes, String nodeId, Duration interval, Duration takeoverAfter, Clock clock) {
        if (interval.isNegative() || interval.isZero() || interval.multipliedBy(2).compareTo(takeoverAfter) >= 0) {
            throw new IllegalArgumentException("sealgate.cluster.heartbeat-interval (" + interval
                    + ") must be positive and less than half of sealgate.cluster.takeover-after (" + takeoverAfter
                    + "), or a live node would lose its queue claims after one late heartbeat");
        }
        this.nodes = nodes;
        this.nodeId = nodeId;
        this.interval = interval;
        this.clock = clock;
    }

    public String nodeId() {
        return nodeId;
    }

    public synchronized void start() {
        if (timer != null) {
            return;
        }
        nodes.started(nodeId, clock.instant());
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sealgate-heartbeat");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Node {} heart-beating every {}", nodeId, interval);
    }

    public synchronized void stop() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        timer = null;
    }

    public synchronized boolean isRunning() {
        return timer != null;
    }

    private void beat() {
        try {
            nodes.heartbeat(nodeId, clock.instant());
            if (failing) {
                failing = false;
                log.info("Heartbeat of node {} written again", nodeId);
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("Heartbeat of node {} could not be written ({}); other nodes take over its queue claims"
                        + " if this lasts longer than the takeover time", nodeId, e.getMessage());
            }
        }
    }
}
