/**
 * What several nodes on one database share beyond the queue: node heartbeats, cluster-wide
 * counters, locks that keep two nodes from doing the same work at the same moment.
 */
package dev.sealgate.cluster;
