package dev.sealgate.queue;

import java.time.Instant;

/**
 * The queue of one next hop, for the admin's "mail queues" view.
 *
 * @param nextHop       where the mail goes
 * @param messages      messages waiting or held for it
 * @param recipients    their recipients
 * @param held          of those, held by policy (see /held)
 * @param nextAttempt   the earliest due attempt
 * @param attemptsSoFar the most delivery attempts any of its recipients has had so far; 0 means none
 *                      was tried yet. There is no attempt limit: mail is retried until
 *                      {@code sealgate.queue.max-age}, then bounced
 */
public record NextHopQueue(String nextHop, int messages, int recipients, int held, Instant nextAttempt, int attemptsSoFar) {
}
