package dev.sealgate.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class EnrollmentPropertiesTest {

    private static EnrollmentProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("sealgate.enrollment", EnrollmentProperties.class);
    }

    @Test
    void shouldStartFromTheDocumentedDefaults() {
        EnrollmentProperties properties = bind(Map.of());

        assertThat(properties.defaultProvider()).isEqualTo("local");
        assertThat(properties.keyAlgorithm()).isEqualTo(EnrollmentSettings.KeyAlgorithm.RSA);
        assertThat(properties.renewBefore()).isEqualTo(Duration.ofDays(14));
        assertThat(properties.holdTimeout()).isEqualTo(Duration.ofHours(24));
        assertThat(properties.settings().backoff(1)).isEqualTo(Duration.ofMinutes(5));
        assertThat(properties.settings().backoff(20)).isEqualTo(Duration.ofHours(6));
        assertThat(properties.swisssign().configured()).isFalse();
        assertThat(properties.localCa().caName()).isEqualTo("Sealgate Local");
    }

    @Test
    void shouldBindBracketedMappingKeysAndGroupsAndHideTheSwissSignSecret() {
        EnrollmentProperties properties = bind(Map.of(
                "sealgate.enrollment.providers[subsidiary.example]", "swisssign",
                "sealgate.enrollment.providers[group:board]", "swisssign",
                "sealgate.enrollment.groups.board[0]", "ceo@example.org",
                "sealgate.enrollment.swisssign.user-name", "ra-user",
                "sealgate.enrollment.swisssign.user-secret", "Very-Secret-Api-Key",
                "sealgate.enrollment.key-algorithm", "EC",
                "sealgate.enrollment.swisssign-cmc.account", "mpki-account",
                "sealgate.enrollment.swisssign-cmc.access-key-store-password", "AutoRao-Secret-Pass"));

        assertThat(properties.providers()).containsEntry("subsidiary.example", "swisssign").containsEntry("group:board", "swisssign");
        assertThat(properties.groups()).containsEntry("board", List.of("ceo@example.org"));
        assertThat(properties.keyAlgorithm()).isEqualTo(EnrollmentSettings.KeyAlgorithm.EC);
        assertThat(properties.swisssignCmc().configured()).isTrue();
        assertThat(properties.toString()).doesNotContain("Very-Secret-Api-Key").doesNotContain("AutoRao-Secret-Pass");
    }
}
