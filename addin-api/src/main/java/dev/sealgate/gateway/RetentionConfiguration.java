package dev.sealgate.gateway;

import dev.sealgate.enrollment.EnrollmentLog;
import dev.sealgate.files.FileRepository;
import dev.sealgate.security.AuditLog;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.tracking.Retained;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What {@link TrackingRetention} deletes besides tracking, each with its {@code sealgate.tracking.*-retention}. */
@Configuration(proxyBeanMethods = false)
class RetentionConfiguration {

    @Bean
    Retained eventRetention(EventLog events, TrackingProperties properties) {
        return Retained.of("events", properties.eventRetention(), events::deleteOlderThan);
    }

    @Bean
    Retained enrollmentLogRetention(EnrollmentLog log, TrackingProperties properties) {
        return Retained.of("finished enrollment requests", properties.enrollmentLogRetention(), log::deleteFinishedBefore);
    }

    @Bean
    Retained auditRetention(AuditLog audit, TrackingProperties properties) {
        return Retained.of("audit records", properties.auditRetention(), audit::deleteOlderThan);
    }

    @Bean
    Retained downloadRetention(FileRepository files, TrackingProperties properties) {
        return Retained.of("download records", properties.downloadRetention(), files::deleteDownloadsBefore);
    }
}
