package dev.sealgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Where the SMTP rate limits are counted (ADR 0155): by default for the cluster whenever the
 * database is one that several nodes can share, on the node with the embedded H2; either can be
 * forced. Bound the way the service binds {@code sealgate.smtp.*}.
 */
class SmtpLimitsScopeTest {

    private static final String EMBEDDED = "jdbc:h2:file:./data/db/sealgate;MODE=PostgreSQL";
    private static final String POSTGRES = "jdbc:postgresql://db.example.org:5432/sealgate";

    private static SmtpProperties.Limits bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("sealgate.smtp", SmtpProperties.class).limits();
    }

    @Test
    void shouldCountForTheClusterByDefaultOnlyWhenTheDatabaseCanBeShared() {
        SmtpProperties.Limits limits = bind(Map.of());

        assertThat(limits.scope()).isEqualTo(SmtpProperties.Limits.Scope.AUTO);
        assertThat(limits.clusterSyncInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(limits.clusterWide(POSTGRES)).isTrue();
        assertThat(limits.clusterWide(EMBEDDED)).isFalse();
        assertThat(limits.clusterWide("jdbc:h2:mem:test")).isFalse();
    }

    @Test
    void shouldFollowAnExplicitScope() {
        assertThat(bind(Map.of("sealgate.smtp.limits.scope", "node")).clusterWide(POSTGRES)).isFalse();
        assertThat(bind(Map.of("sealgate.smtp.limits.scope", "cluster")).clusterWide(EMBEDDED)).isTrue();
        assertThat(bind(Map.of("sealgate.smtp.limits.cluster-sync-interval", "250ms")).clusterSyncInterval())
                .isEqualTo(Duration.ofMillis(250));
    }
}
