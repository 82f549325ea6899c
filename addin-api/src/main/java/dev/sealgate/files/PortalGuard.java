package dev.sealgate.files;

import java.time.Clock;
import java.time.Duration;

/** Limits how often one client address may open portal links, so tokens cannot be tried in bulk. */
final class PortalGuard {

    private final RateLimiter accesses;

    PortalGuard(FilesProperties properties, Clock clock) {
        this.accesses = new RateLimiter(properties.linkAccessesPerMinute(), Duration.ofMinutes(1), clock);
    }

    boolean allowAccess(String clientAddress) {
        return accesses.tryAcquire(clientAddress);
    }
}
