package dev.sealgate.gateway;

import dev.sealgate.tracking.Retained;
import dev.sealgate.tracking.TrackingRepository;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The hourly housekeeping of records: tracking details older than {@code sealgate.tracking.retention},
 * and every {@link Retained} bean (events, enrollment log rows, download records; audit records
 * when the audit provides one) older than its own retention.
 */
@Component
class TrackingRetention {

    private static final Logger log = LoggerFactory.getLogger(TrackingRetention.class);

    private final TrackingRepository tracking;
    private final TrackingProperties properties;
    private final ObjectProvider<Retained> retained;
    private final Clock clock;

    TrackingRetention(TrackingRepository tracking, TrackingProperties properties, ObjectProvider<Retained> retained, Clock clock) {
        this.tracking = tracking;
        this.properties = properties;
        this.retained = retained;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
    void deleteExpired() {
        int deleted = tracking.deleteFinishedBefore(clock.instant().minus(properties.retention()));
        if (deleted > 0) {
            log.info("Deleted {} tracking records older than {}", deleted, properties.retention());
        }
        for (Retained kind : retained.orderedStream().toList()) {
            if (kind.retention().isZero() || kind.retention().isNegative()) {
                continue;
            }
            try {
                int gone = kind.deleteOlderThan(clock.instant().minus(kind.retention()));
                if (gone > 0) {
                    log.info("Deleted {} {} older than {}", gone, kind.name(), kind.retention());
                }
            } catch (RuntimeException e) {
                log.warn("Could not delete {} older than {}; trying again in an hour", kind.name(), kind.retention(), e);
            }
        }
    }
}
