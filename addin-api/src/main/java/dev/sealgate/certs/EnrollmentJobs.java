package dev.sealgate.certs;

import dev.sealgate.enrollment.EnrollmentService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The enrollment service's timers: pending orders and due retries every poll interval, renewals
 * every renewal interval. Each node runs them; requests are claimed, so no order is worked twice.
 */
class EnrollmentJobs {

    private static final Logger log = LoggerFactory.getLogger(EnrollmentJobs.class);

    private final EnrollmentService service;

    EnrollmentJobs(EnrollmentService service) {
        this.service = service;
    }

    @Scheduled(initialDelayString = "${sealgate.enrollment.poll-interval:1m}", fixedDelayString = "${sealgate.enrollment.poll-interval:1m}")
    void pollAndRetry() {
        try {
            service.pollPending();
            service.retryDue();
        } catch (RuntimeException e) {
            log.warn("Enrollment poll failed, trying again in the next interval: {}", e.toString());
        }
    }

    @Scheduled(initialDelayString = "${sealgate.enrollment.poll-interval:1m}", fixedDelayString = "${sealgate.enrollment.renewal-interval:6h}")
    void renew() {
        try {
            service.renewExpiring();
        } catch (RuntimeException e) {
            log.warn("Certificate renewal check failed, trying again in the next interval: {}", e.toString());
        }
    }
}
