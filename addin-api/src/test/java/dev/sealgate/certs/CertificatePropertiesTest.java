package dev.sealgate.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class CertificatePropertiesTest {

    private static CertificateProperties fromEnvironment(Map<String, Object> variables) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new SystemEnvironmentPropertySource("systemEnvironment", variables));
        return new Binder(ConfigurationPropertySources.from(sources)).bindOrCreate("sealgate", CertificateProperties.class);
    }

    @Test
    void shouldReadTheMasterKeyFromEitherSpellingOfTheEnvironmentVariable() {
        assertThat(fromEnvironment(Map.of("SEALGATE_MASTER_KEY", "a2V5")).masterKey()).isEqualTo("a2V5");
        assertThat(fromEnvironment(Map.of("SEALGATE_MASTERKEY", "a2V5")).masterKey()).isEqualTo("a2V5");
    }

    @Test
    void shouldDefaultToNoKeyAndNoAnchorsAndNeverPrintTheKey() {
        CertificateProperties none = fromEnvironment(Map.of());
        CertificateProperties set = new CertificateProperties("c2VjcmV0LW1hc3Rlci1rZXk=", java.util.List.of(Path.of("/etc/anchors")));

        assertThat(none.masterKeyConfigured()).isFalse();
        assertThat(none.trustAnchors()).isEmpty();
        assertThat(set.toString()).doesNotContain("c2VjcmV0LW1hc3Rlci1rZXk=").contains("(set)");
    }

    private static CertificateCacheProperties cacheFromEnvironment(Map<String, Object> variables) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new SystemEnvironmentPropertySource("systemEnvironment", variables));
        return new Binder(ConfigurationPropertySources.from(sources))
                .bindOrCreate("sealgate.certificates.cache", CertificateCacheProperties.class);
    }

    @Test
    void shouldHoldAThousandAnswersPerCertificateCacheByDefault() {
        assertThat(cacheFromEnvironment(Map.of()).maxEntries()).isEqualTo(CertificateStore.DEFAULT_MAX_ENTRIES).isEqualTo(1_000);
        assertThat(cacheFromEnvironment(Map.of("SEALGATE_CERTIFICATES_CACHE_MAXENTRIES", "5")).maxEntries()).isEqualTo(5);
    }

    @Test
    void shouldRefuseACacheWithoutEntriesAtBindingNamingTheProperty() {
        assertThatThrownBy(() -> cacheFromEnvironment(Map.of("SEALGATE_CERTIFICATES_CACHE_MAXENTRIES", "0")))
                .rootCause().hasMessageContaining("sealgate.certificates.cache.max-entries");
    }
}
