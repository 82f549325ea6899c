package dev.sealgate.monitoring;

import dev.sealgate.certprovider.local.LocalCertificateAuthority;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/certificateAuthority}: whether the local CA's certificate is valid, and for
 * how long. EXPIRING within {@link #WARNING} (the overview's window for certificates), EXPIRED after
 * its end. Both rank below UP ({@code management.endpoint.health.status.order}): mail still flows,
 * only new certificates from this CA are affected, so the node is not unfit.
 */
// the contributor's name is the bean name without "HealthIndicator": certificateAuthority
@Component("certificateAuthorityHealthIndicator")
class CertificateAuthorityHealthIndicator implements HealthIndicator {

    static final Duration WARNING = Duration.ofDays(30);
    static final Status EXPIRING = new Status("EXPIRING", "the local CA's certificate expires within 30 days: renew it");
    static final Status EXPIRED = new Status("EXPIRED", "the local CA's certificate has expired: it issues no usable certificates");

    private final LocalCertificateAuthority ca;
    private final Clock clock;

    CertificateAuthorityHealthIndicator(LocalCertificateAuthority ca, Clock clock) {
        this.ca = ca;
        this.clock = clock;
    }

    @Override
    public Health health() {
        if (ca.caCertificates().isEmpty()) {
            return Health.unknown().withDetail("reason", "the local CA has no certificate").build();
        }
        X509Certificate certificate = ca.caCertificates().get(0);
        return of(certificate.getSubjectX500Principal().getName(), certificate.getNotAfter().toInstant(), clock.instant());
    }

    static Health of(String subject, Instant notAfter, Instant now) {
        Duration left = Duration.between(now, notAfter);
        Status status = left.isNegative() ? EXPIRED : left.compareTo(WARNING) < 0 ? EXPIRING : Status.UP;
        return Health.status(status).withDetail("subject", subject).withDetail("notAfter", notAfter.toString())
                .withDetail("daysLeft", left.toDays()).build();
    }
}
