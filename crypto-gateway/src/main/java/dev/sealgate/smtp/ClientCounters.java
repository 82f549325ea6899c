package dev.sealgate.smtp;

import java.time.Duration;
import java.time.Instant;

/**
 * Rate counters per SMTP client address (Postfix's anvil is the model): how many connections,
 * messages and recipients a client started in the current fixed window. Behind this interface so
 * that a cluster can share the counts: {@link InMemoryClientCounters} counts per node,
 * {@code dev.sealgate.cluster.ClusterClientCounters} for the cluster (in memory, synced with the
 * database in the background; ADR 0155).
 */
public interface ClientCounters {

    /**
     * Adds one to a counter of a client in the window that holds {@code now} (windows start at
     * multiples of {@code window} since the epoch) and returns the count in that window, this one
     * included.
     *
     * @param counter what is counted: {@code connections}, {@code messages}, {@code recipients}
     * @param client  the client's IP address as text
     */
    long increment(String counter, String client, Instant now, Duration window);
}
