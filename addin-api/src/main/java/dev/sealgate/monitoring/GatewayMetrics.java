package dev.sealgate.monitoring;

import dev.sealgate.certs.CertificateKind;
import dev.sealgate.certs.CertificateQuery;
import dev.sealgate.certs.CertificateStore;
import dev.sealgate.enrollment.EnrollmentLog;
import dev.sealgate.enrollment.RequestStatus;
import dev.sealgate.queue.NextHopQueue;
import dev.sealgate.queue.QueueRepository;
import dev.sealgate.tracking.MailFlow;
import dev.sealgate.tracking.MessageStatus;
import dev.sealgate.tracking.TrackingRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Prometheus gauges for what the console's overview shows: queue depth per next hop, held mail,
 * mail flow of the last 24 hours by direction and status (apart and together), certificates expiring
 * within 30 days, enrollments of the last 24 hours by provider and outcome. Crypto operations are
 * counters, counted where they happen ({@link CryptoOperationMetrics}). Read from the database
 * every 30 s on a scheduler thread, never on a scrape (which runs on an event loop) and never per
 * message.
 */
@Component
class GatewayMetrics {

    private static final Logger log = LoggerFactory.getLogger(GatewayMetrics.class);

    private final QueueRepository queue;
    private final TrackingRepository tracking;
    private final ObjectProvider<CertificateStore> certificates;
    private final ObjectProvider<EnrollmentLog> enrollments;
    private final Clock clock;
    private final MultiGauge queueDepth;
    private final MultiGauge flow;
    private final MultiGauge flowByDirectionAndOutcome;
    private final MultiGauge enrollmentOutcomes;
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong expiring = new AtomicLong();
    private final AtomicLong failedEnrollments = new AtomicLong();

    GatewayMetrics(MeterRegistry registry, QueueRepository queue, TrackingRepository tracking,
                   ObjectProvider<CertificateStore> certificates, ObjectProvider<EnrollmentLog> enrollments, Clock clock) {
        this.queue = queue;
        this.tracking = tracking;
        this.certificates = certificates;
        this.enrollments = enrollments;
        this.clock = clock;
        this.queueDepth = MultiGauge.builder("sealgate.queue.recipients")
                .description("Recipients waiting or held, per next hop").register(registry);
        this.flow = MultiGauge.builder("sealgate.messages.last24h")
                .description("Messages received in the last 24 hours, by direction and current status").register(registry);
        this.flowByDirectionAndOutcome = MultiGauge.builder("sealgate.messages.flow.last24h")
                .description("Messages received in the last 24 hours, by direction and current status (outcome)").register(registry);
        this.enrollmentOutcomes = MultiGauge.builder("sealgate.enrollments.last24h")
                .description("Enrollment requests updated in the last 24 hours, by provider, type and status (outcome)")
                .register(registry);
        Gauge.builder("sealgate.queue.held.messages", held, AtomicLong::get).description("Messages held by policy").register(registry);
        Gauge.builder("sealgate.certificates.expiring", expiring, AtomicLong::get).tag("within", "30d")
                .description("Own and partner certificates that expire within 30 days").register(registry);
        Gauge.builder("sealgate.enrollments.failed.last24h", failedEnrollments, AtomicLong::get)
                .description("Enrollment requests that failed in the last 24 hours").register(registry);
    }

    @Scheduled(initialDelay = 5_000, fixedDelayString = "${sealgate.metrics.refresh-interval:30s}")
    void refresh() {
        try {
            Instant now = clock.instant();
            List<NextHopQueue> hops = queue.queues();
            queueDepth.register(hops.stream().map(h -> MultiGauge.Row.of(Tags.of("next_hop", String.valueOf(h.nextHop())),
                    h.recipients())).toList(), true);
            held.set(queue.held().size());
            MailFlow day = tracking.flow(now.minus(Duration.ofDays(1)), now.plusSeconds(1));
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (Map.Entry<MessageStatus, Long> e : day.byStatus().entrySet()) {
                rows.add(MultiGauge.Row.of(Tags.of("status", e.getKey().name()), e.getValue()));
            }
            for (Map.Entry<String, Long> e : day.byDirection().entrySet()) {
                rows.add(MultiGauge.Row.of(Tags.of("direction", e.getKey().toLowerCase(Locale.ROOT)), e.getValue()));
            }
            flow.register(rows, true);
            List<MultiGauge.Row<?>> both = new ArrayList<>();
            day.byDirectionAndStatus().forEach((direction, statuses) -> statuses.forEach((status, n) -> both.add(MultiGauge.Row.of(
                    Tags.of("direction", direction.toLowerCase(Locale.ROOT), "outcome", status.name()), n))));
            flowByDirectionAndOutcome.register(both, true);
            CertificateStore store = certificates.getIfAvailable();
            if (store != null) {
                Instant soon = now.plus(Duration.ofDays(30));
                expiring.set(List.of(CertificateKind.OWN, CertificateKind.PARTNER).stream()
                        .flatMap(kind -> store.search(new CertificateQuery(null, null, kind, 1000)).stream())
                        .filter(c -> c.notAfter().isBefore(soon) && c.notAfter().isAfter(now)).count());
            }
            EnrollmentLog log = enrollments.getIfAvailable();
            if (log != null) {
                List<EnrollmentLog.Outcome> outcomes = log.outcomesSince(now.minus(Duration.ofDays(1)));
                failedEnrollments.set(outcomes.stream().filter(o -> o.status() == RequestStatus.FAILED)
                        .mapToLong(EnrollmentLog.Outcome::count).sum());
                enrollmentOutcomes.register(outcomes.stream().map(o -> MultiGauge.Row.of(Tags.of("provider", String.valueOf(o.provider()),
                        "type", o.type().label(), "outcome", o.status().label()), o.count())).toList(), true);
            }
        } catch (RuntimeException e) {
            log.warn("Could not refresh the gateway metrics: {}", e.getMessage());
        }
    }
}
