package dev.sealgate.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The delivery queue ({@code sealgate.queue.*}).
 *
 * @param maxAge                mail not delivered after this is bounced to the sender (default 2d)
 * @param retryInitial          first retry after a 4xx or an unreachable next hop; doubles each time (default 5m)
 * @param retryMax              longest retry interval (default 1h)
 * @param workers               delivery threads (default 8)
 * @param pollInterval          how often idle workers look for due mail (default 5s; new mail wakes them at once)
 * @param lease                 how long a node's claim on a delivery holds; after it, another node takes over (default 10m)
 * @param batchSize             deliveries claimed per round (default 200)
 * @param messagesPerConnection transactions over one connection to a next hop (default 50)
 * @param nodeId                this node's name in queue claims; default host name plus data directory, stable
 *                              across restarts so that a restarted node takes up its own work at once
 * @param delayWarningTime      a recipient that asked NOTIFY=DELAY and is still not delivered after this gets one
 *                              delay notice ({@code Action: delayed}; Postfix's delay_warning_time; default 4h, 0 for none)
 */
@ConfigurationProperties("sealgate.queue")
public record QueueProperties(@DefaultValue("2d") Duration maxAge,
                              @DefaultValue("5m") Duration retryInitial,
                              @DefaultValue("1h") Duration retryMax,
                              @DefaultValue("8") int workers,
                              @DefaultValue("5s") Duration pollInterval,
                              @DefaultValue("10m") Duration lease,
                              @DefaultValue("200") int batchSize,
                              @DefaultValue("50") int messagesPerConnection,
                              String nodeId,
                              @DefaultValue("4h") Duration delayWarningTime) {
}
