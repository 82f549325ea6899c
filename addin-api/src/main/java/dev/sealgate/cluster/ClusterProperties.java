package dev.sealgate.cluster;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the nodes of a cluster watch each other ({@code sealgate.cluster.*}). A single node uses the
 * same settings: its heartbeat costs one update per interval.
 *
 * @param heartbeatInterval how often this node writes its heartbeat to the database (default 10s)
 * @param takeoverAfter     how long a node may miss its heartbeat before the other nodes take over its
 *                          queue claims, without waiting for the claims' lease (default 60s); must be more
 *                          than twice the heartbeat interval
 */
@ConfigurationProperties("sealgate.cluster")
public record ClusterProperties(@DefaultValue("10s") Duration heartbeatInterval,
                                @DefaultValue("60s") Duration takeoverAfter) {
}
