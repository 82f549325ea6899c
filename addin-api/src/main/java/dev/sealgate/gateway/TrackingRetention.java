package dev.sealgate.gateway;

import dev.sealgate.tracking.TrackingRepository;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Deletes tracking details older than {@code sealgate.tracking.retention}, hourly. */
@Component
class TrackingRetention {

    private static final Logger log = LoggerFactory.getLogger(TrackingRetention.class);

    private final TrackingRepository tracking;
    private final TrackingProperties properties;
    private final Clock clock;

    TrackingRetention(TrackingRepository tracking, TrackingProperties properties, Clock clock) {
        this.tracking = tracking;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
    void deleteExpired() {
        int deleted = tracking.deleteFinishedBefore(clock.instant().minus(properties.retention()));
        if (deleted > 0) {
            log.info("Deleted {} tracking records older than {}", deleted, properties.retention());
        }
    }
}
