package dev.sealgate.addin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.net.Tinyproxy;
import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.testkit.GatewayUnderTest;
import dev.sealgate.testkit.JvmTlsTrust;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Issue 13 in the running service: with {@code sealgate.proxy.*} set, the add-in's identity provider
 * keys (JWKS over HTTPS, mock-oauth2-server) are fetched through the proxy, a real tinyproxy with
 * Basic authentication, by a CONNECT tunnel; loopback is not exempt because no non-proxy host is set.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class AddinTokensThroughTheProxyTest {

    private static final String CLIENT_ID = "0b6f8a62-5d0e-4c2a-9a59-2f0d5f6e7a11";
    private static final String PROXY_PASSWORD = "Jwks-Pr0xy-Secret";
    private static final SmtpSink internet = SmtpSink.plain();
    private static final MockOAuth2Server oidc;

    static {
        OAuth2Config config = OAuth2Config.Companion.fromJson("""
                { "interactiveLogin": false, "httpServer": { "type": "MockWebServerWrapper", "ssl": {} } }
                """);
        oidc = new MockOAuth2Server(config);
        oidc.start();
        JvmTlsTrust.trustBesideTheUsual(
                ((MockWebServerWrapper) config.getHttpServer()).getSsl().getSslKeystore().getKeyStore());
    }

    @TempDir
    static Path dataDir;

    static Tinyproxy proxy;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        proxy = Tinyproxy.start(dataDir.resolve("tinyproxy"), "jwks-gw", PROXY_PASSWORD);
        GatewayUnderTest.register(registry, () -> dataDir, "test-admin-key-proxy-0123456789", "corp.example", internet, internet);
        registry.add("sealgate.addin.auth.client-id", () -> CLIENT_ID);
        registry.add("sealgate.addin.auth.issuer", () -> oidc.issuerUrl("tenant-p").toString());
        registry.add("sealgate.addin.auth.jwk-set-uri", () -> oidc.jwksUrl("tenant-p").toString());
        registry.add("sealgate.proxy.host", () -> "127.0.0.1");
        registry.add("sealgate.proxy.port", () -> proxy.port());
        registry.add("sealgate.proxy.auth", () -> "basic");
        registry.add("sealgate.proxy.username", () -> "jwks-gw");
        registry.add("sealgate.proxy.password", () -> PROXY_PASSWORD);
    }

    @AfterAll
    static void stop() {
        JvmTlsTrust.restoreUsual();
        oidc.shutdown();
        internet.close();
        if (proxy != null) {
            proxy.close();
        }
    }

    @Autowired
    WebTestClient client;

    @Test
    void shouldFetchTheIdentityProvidersKeysThroughTheProxy() throws Exception {
        Map<String, Object> alice = Map.of("preferred_username", "alice@corp.example");
        String token = oidc.issueToken("tenant-p", "alice-sub", CLIENT_ID, alice, 600).serialize();

        int status = client.mutate().responseTimeout(Duration.ofSeconds(60)).build()
                .get().uri("/api/v1/addin/settings").headers(h -> h.setBearerAuth(token)).exchange()
                .returnResult(String.class).getStatus().value();

        assertThat(status).as("the token was checked against keys fetched through the proxy").isEqualTo(200);
        assertThat(proxy.requests()).as("tinyproxy tunnelled the HTTPS fetch of the JWKS")
                .anySatisfy(line -> assertThat(line).matches("CONNECT [^ ]+:" + oidc.jwksUrl("tenant-p").port() + " HTTP/1.1"));
    }
}
