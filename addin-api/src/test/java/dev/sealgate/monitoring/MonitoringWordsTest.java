package dev.sealgate.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/** The words the crypto counter and the CA's health use, from what the pipeline and the clock give them. */
class MonitoringWordsTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void shouldCountOnlyTheFourCryptoKindsWithABoundedResult() {
        assertThat(CryptoOperationMetrics.kind("sign")).isEqualTo("sign");
        assertThat(CryptoOperationMetrics.kind("encrypt for bob@partner.example")).isEqualTo("encrypt");
        assertThat(CryptoOperationMetrics.kind("verify layer 1")).isEqualTo("verify");
        assertThat(CryptoOperationMetrics.kind("decrypt layer 2")).isEqualTo("decrypt");
        assertThat(CryptoOperationMetrics.kind("hold bob@partner.example")).isNull();
        assertThat(CryptoOperationMetrics.kind("signature policy")).isNull();

        assertThat(CryptoOperationMetrics.result("sign", "ok, certificate 3f..., SHA256withRSA")).isEqualTo("ok");
        assertThat(CryptoOperationMetrics.result("sign", "no (policy NEVER)")).isEqualTo("skipped");
        assertThat(CryptoOperationMetrics.result("encrypt", "ok, AES256_GCM + RSA_OAEP")).isEqualTo("ok");
        assertThat(CryptoOperationMetrics.result("decrypt", "no key held for any recipient of this layer")).isEqualTo("no-key");
        assertThat(CryptoOperationMetrics.result("decrypt", "not opened: it is neither ...")).isEqualTo("not-opened");
        assertThat(CryptoOperationMetrics.result("verify", "valid; signer=alice@partner.example; covers=content (ok)")).isEqualTo("ok");
        assertThat(CryptoOperationMetrics.result("verify", "UNTRUSTED; signer=unknown")).isEqualTo("untrusted");
        assertThat(CryptoOperationMetrics.result("verify", "revocation-unknown; signer=x")).isEqualTo("revocation-unknown");
        assertThat(CryptoOperationMetrics.result("verify", "<script>; signer=x")).isEqualTo("failed");
    }

    @Test
    void shouldSayExpiringWithinThirtyDaysAndExpiredAfterTheEnd() {
        assertThat(CertificateAuthorityHealthIndicator.of("CN=CA", NOW.plus(Duration.ofDays(31)), NOW).getStatus()).isEqualTo(Status.UP);
        assertThat(CertificateAuthorityHealthIndicator.of("CN=CA", NOW.plus(Duration.ofDays(29)), NOW).getStatus().getCode())
                .isEqualTo("EXPIRING");
        assertThat(CertificateAuthorityHealthIndicator.of("CN=CA", NOW.minusSeconds(1), NOW).getStatus().getCode())
                .isEqualTo("EXPIRED");
        assertThat(CertificateAuthorityHealthIndicator.of("CN=CA", NOW.plus(Duration.ofDays(29)), NOW).getDetails())
                .containsEntry("daysLeft", 29L).containsEntry("subject", "CN=CA");
    }
}
