package dev.sealgate.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code sealgate.proxy.*} and a provider's own {@code sealgate.enrollment.<provider>.proxy.*}. */
class ProxyPropertiesTest {

    private static final Map<String, String> GLOBAL = Map.of(
            "sealgate.proxy.host", "proxy.corp.example",
            "sealgate.proxy.port", "8080",
            "sealgate.proxy.auth", "basic",
            "sealgate.proxy.username", "gateway",
            "sealgate.proxy.password", "Global-Pr0xy-Secret",
            "sealgate.proxy.non-proxy-hosts", "*.corp.example,10.*");

    private static Binder binder(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties));
    }

    private static Optional<OutboundProxy> global(Map<String, String> properties) {
        return binder(properties).bindOrCreate("sealgate.proxy", ProxyProperties.class).proxy();
    }

    private static Map<String, String> with(Map<String, String> more) {
        Map<String, String> all = new java.util.HashMap<>(GLOBAL);
        all.putAll(more);
        return all;
    }

    @Test
    void shouldConnectDirectlyByDefaultWithNothingBypassed() {
        ProxyProperties defaults = binder(Map.of()).bindOrCreate("sealgate.proxy", ProxyProperties.class);

        assertThat(defaults.proxy()).isEmpty();
        assertThat(defaults.port()).isEqualTo(3128);
        assertThat(defaults.auth()).isEqualTo(OutboundProxy.Auth.NONE);
        assertThat(defaults.nonProxyHosts()).isEmpty();
    }

    @Test
    void shouldGiveEveryProviderTheGlobalProxyUnlessItHasItsOwn() {
        Optional<OutboundProxy> proxy = global(GLOBAL);

        assertThat(ProxyProperties.forProvider(binder(GLOBAL), "sealgate.enrollment.swisssign", proxy)).isEqualTo(proxy);
        assertThat(proxy).hasValueSatisfying(p -> {
            assertThat(p.host()).isEqualTo("proxy.corp.example");
            assertThat(p.port()).isEqualTo(8080);
            assertThat(p.auth()).isEqualTo(OutboundProxy.Auth.BASIC);
            assertThat(p.nonProxyHosts()).containsExactly("*.corp.example", "10.*");
        });
    }

    @Test
    void shouldTakeAProvidersOwnProxyWholeWithoutInheritingTheGlobalCredentials() {
        Map<String, String> properties = with(Map.of(
                "sealgate.enrollment.swisssign.proxy.host", "ca-proxy.corp.example",
                "sealgate.enrollment.swisssign.proxy.port", "3129"));

        Optional<OutboundProxy> own = ProxyProperties.forProvider(binder(properties), "sealgate.enrollment.swisssign",
                global(properties));

        assertThat(own).hasValueSatisfying(p -> {
            assertThat(p.host()).isEqualTo("ca-proxy.corp.example");
            assertThat(p.port()).isEqualTo(3129);
            assertThat(p.auth()).isEqualTo(OutboundProxy.Auth.NONE);
            assertThat(p.username()).isNull();
            assertThat(p.nonProxyHosts()).isEmpty();
        });
        assertThat(ProxyProperties.forProvider(binder(properties), "sealgate.enrollment.swisssign-cmc", global(properties)))
                .as("the other provider keeps the global proxy").isEqualTo(global(properties));
    }

    @Test
    void shouldLetAProviderConnectDirectly() {
        Map<String, String> properties = with(Map.of("sealgate.enrollment.swisssign-cmc.proxy.direct", "true"));

        assertThat(ProxyProperties.forProvider(binder(properties), "sealgate.enrollment.swisssign-cmc", global(properties)))
                .isEmpty();
    }

    @Test
    void shouldRefuseAnIncompleteOverrideNamingItsOwnKeysAndNoPassword() {
        Map<String, String> noHost = with(Map.of("sealgate.enrollment.swisssign.proxy.port", "3129"));
        Map<String, String> noPassword = with(Map.of(
                "sealgate.enrollment.swisssign.proxy.host", "ca-proxy.corp.example",
                "sealgate.enrollment.swisssign.proxy.auth", "basic",
                "sealgate.enrollment.swisssign.proxy.username", "ca-gw"));

        assertThatThrownBy(() -> ProxyProperties.forProvider(binder(noHost), "sealgate.enrollment.swisssign", global(noHost)))
                .hasMessageContaining("sealgate.enrollment.swisssign.proxy.host")
                .hasMessageContaining("sealgate.enrollment.swisssign.proxy.direct=true");
        assertThatThrownBy(() -> ProxyProperties.forProvider(binder(noPassword), "sealgate.enrollment.swisssign",
                global(noPassword)))
                .hasMessageContaining("sealgate.enrollment.swisssign.proxy.password")
                .hasMessageNotContaining("Global-Pr0xy-Secret");
    }

    @Test
    void shouldKeepThePasswordsOutOfTheirDescriptions() {
        Map<String, String> properties = with(Map.of(
                "sealgate.enrollment.swisssign.proxy.host", "ca-proxy.corp.example",
                "sealgate.enrollment.swisssign.proxy.auth", "basic",
                "sealgate.enrollment.swisssign.proxy.username", "ca-gw",
                "sealgate.enrollment.swisssign.proxy.password", "Own-Pr0xy-Secret"));

        assertThat(binder(properties).bindOrCreate("sealgate.proxy", ProxyProperties.class).toString())
                .doesNotContain("Global-Pr0xy-Secret");
        assertThat(binder(properties).bindOrCreate("sealgate.enrollment.swisssign.proxy", ProxyProperties.ProviderOverride.class)
                .toString()).contains("ca-gw").doesNotContain("Own-Pr0xy-Secret");
        assertThat(ProxyProperties.forProvider(binder(properties), "sealgate.enrollment.swisssign", global(properties))
                .orElseThrow().toString()).doesNotContain("Own-Pr0xy-Secret");
        assertThat(List.of(global(properties).orElseThrow().toString())).noneMatch(s -> s.contains("Global-Pr0xy-Secret"));
    }
}
