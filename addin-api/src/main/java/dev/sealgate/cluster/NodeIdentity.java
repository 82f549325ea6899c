package dev.sealgate.cluster;

/**
 * This node's name in queue claims and heartbeats: {@code sealgate.queue.node-id}, else the SMTP
 * host name plus a hash of the data directory, stable across restarts so that a restarted node
 * takes up its own work at once.
 */
public record NodeIdentity(String id) {
}
