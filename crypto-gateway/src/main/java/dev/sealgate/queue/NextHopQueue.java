package dev.sealgate.queue;

import java.time.Instant;

/** The queue of one next hop, for the admin's "mail queues" view. */
public record NextHopQueue(String nextHop, int messages, int recipients, int held, Instant nextAttempt, int maxAttempts) {
}
