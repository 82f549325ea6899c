package dev.sealgate.files;

import dev.sealgate.cluster.SharedCounters;
import java.time.Clock;
import java.time.Duration;

/** Limits how often one client address may open portal links, so tokens cannot be tried in bulk. */
final class PortalGuard {

    private final RateLimiter accesses;

    /** @param counters where accesses are counted: the database, so that the limit holds for the cluster */
    PortalGuard(FilesProperties properties, Clock clock, SharedCounters counters) {
        this.accesses = new RateLimiter("portal-link-accesses", properties.linkAccessesPerMinute(), Duration.ofMinutes(1),
                clock, counters);
    }

    boolean allowAccess(String clientAddress) {
        return accesses.tryAcquire(clientAddress);
    }
}
