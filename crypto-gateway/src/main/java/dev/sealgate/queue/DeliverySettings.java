package dev.sealgate.queue;

import java.time.Duration;
import java.util.Set;

/**
 * How the delivery workers work.
 *
 * @param nodeId                 this node's name in queue claims (stable across restarts)
 * @param heloName               name sent in EHLO to next hops
 * @param workers                delivery threads
 * @param pollInterval           how often idle workers look for due mail
 * @param lease                  how long a claim holds before another node may take over
 * @param batchSize              recipients claimed at a time
 * @param messagesPerConnection  transactions over one connection before it is closed
 * @param retryInitial           first retry interval after a 4xx or a connection failure
 * @param retryMax               longest retry interval (the interval doubles up to this)
 * @param maxAge                 after this, a message still not delivered is bounced
 * @param connectTimeout         timeout of connect and of each reply
 * @param requireTlsDomains      recipient domains (or smart host names) for which STARTTLS is mandatory
 * @param delayWarningTime       a recipient that asked NOTIFY=DELAY and still waits after this gets one delay notice;
 *                               zero for none
 */
public record DeliverySettings(String nodeId, String heloName, int workers, Duration pollInterval, Duration lease,
                               int batchSize, int messagesPerConnection, Duration retryInitial, Duration retryMax,
                               Duration maxAge, Duration connectTimeout, Set<String> requireTlsDomains, Duration delayWarningTime) {

    /** Settings with the default delay warning time of 4 hours. */
    public DeliverySettings(String nodeId, String heloName, int workers, Duration pollInterval, Duration lease,
                            int batchSize, int messagesPerConnection, Duration retryInitial, Duration retryMax,
                            Duration maxAge, Duration connectTimeout, Set<String> requireTlsDomains) {
        this(nodeId, heloName, workers, pollInterval, lease, batchSize, messagesPerConnection, retryInitial, retryMax, maxAge,
                connectTimeout, requireTlsDomains, Duration.ofHours(4));
    }
}
