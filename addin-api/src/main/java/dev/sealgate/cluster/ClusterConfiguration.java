package dev.sealgate.cluster;

import dev.sealgate.SealgateProperties;
import dev.sealgate.gateway.QueueProperties;
import dev.sealgate.gateway.SmtpProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires this node's identity, its heartbeat and the cluster-wide counters. */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean
    NodeIdentity nodeIdentity(QueueProperties queue, SmtpProperties smtp, SealgateProperties sealgate) {
        return new NodeIdentity(queue.nodeId() != null && !queue.nodeId().isBlank() ? queue.nodeId().strip()
                : smtp.effectiveHostName() + "-" + shortHash(sealgate.dataDir().toAbsolutePath().normalize()));
    }

    @Bean
    ClusterNodes clusterNodes(DataSource dataSource) {
        return new ClusterNodes(dataSource);
    }

    /** Cross-node invalidation of this node's read caches (ADR 0191). */
    @Bean
    CacheGenerations cacheGenerations(DataSource dataSource, CacheProperties properties) {
        return new CacheGenerations(dataSource, properties.checkInterval());
    }

    /** Rate limits and other counters, in the database so that they hold for the whole cluster. */
    @Bean
    SharedCounters sharedCounters(DataSource dataSource) {
        return new DatabaseCounters(dataSource);
    }

    @Bean
    NodeHeartbeat nodeHeartbeat(ClusterNodes nodes, NodeIdentity node, ClusterProperties properties, Clock clock) {
        return new NodeHeartbeat(nodes, node.id(), properties.heartbeatInterval(), properties.takeoverAfter(), clock);
    }

    /** Beats before the delivery workers start and until after they stopped (a lower phase). */
    @Bean
    SmartLifecycle nodeHeartbeatLifecycle(NodeHeartbeat heartbeat) {
        return new SmartLifecycle() {
            @Override
            public void start() {
                heartbeat.start();
            }

            @Override
            public void stop() {
                heartbeat.stop();
            }

            @Override
            public boolean isRunning() {
                return heartbeat.isRunning();
            }

            @Override
            public int getPhase() {
                return DEFAULT_PHASE - 1;
            }
        };
    }

    private static String shortHash(Path path) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(path.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
