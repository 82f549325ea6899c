package dev.sealgate.addin;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Tokens from a real OpenID Connect provider (mock-oauth2-server over HTTPS, the way MSAL.js would be
 * served them) through the service's real validation, with the settings an Entra tenant admin sets:
 * the client ID as audience, the issuer, the tenant. Another issuer, tenant or audience is refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class AddinTokensFromAnOidcProviderTest {

    private static final String CLIENT_ID = "6731de76-14a6-49ae-97bc-6eba6914391e";
    private static final SmtpSink internet = SmtpSink.plain();
    private static final MockOAuth2Server oidc;

    static {
        OAuth2Config config = OAuth2Config.Companion.fromJson("""
                { "interactiveLogin": false, "httpServer": { "type": "MockWebServerWrapper", "ssl": {} } }
                """);
        oidc = new MockOAuth2Server(config);
        oidc.start();
        // OkHttp's MockWebServer, not the Netty server: BlockHound (BlockHoundSession) watches every
        // Netty event loop in this JVM, and the provider is not ours to make non-blocking. The service
        // fetches the provider's keys with the JDK's HttpClient (OutboundHttp); other clients use
        // HttpsURLConnection: trust its certificate beside the usual ones for both.
        JvmTlsTrust.trustBesideTheUsual(((MockWebServerWrapper) config.getHttpServer()).getSsl().getSslKeystore().getKeyStore());
    }

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayUnderTest.register(registry, () -> dataDir, "test-admin-key-tokens-0123456789", "corp.example", internet, internet);
        registry.add("sealgate.addin.auth.client-id", () -> CLIENT_ID);
        registry.add("sealgate.addin.auth.allowed-tenants", () -> "tenant-1");
        registry.add("sealgate.addin.auth.issuer", () -> oidc.issuerUrl("tenant-1").toString());
        registry.add("sealgate.addin.auth.jwk-set-uri", () -> oidc.jwksUrl("tenant-1").toString());
    }

    @AfterAll
    static void stop() {
        JvmTlsTrust.restoreUsual();
        oidc.shutdown();
        internet.close();
    }

    @Autowired
    WebTestClient client;

    @Test
    void shouldRefuseTokensFromAnotherIssuerTenantOrAudience() {
        Map<String, Object> alice = Map.of("preferred_username", "alice@corp.example", "tid", "tenant-1");
        Map<String, Object> aliceElsewhere = Map.of("preferred_username", "alice@corp.example", "tid", "tenant-2");

        assertThat(settingsStatus(oidc.issueToken("tenant-2", "alice-sub", CLIENT_ID, alice, 600).serialize())).isEqualTo(401);
        assertThat(settingsStatus(oidc.issueToken("tenant-1", "alice-sub", CLIENT_ID, aliceElsewhere, 600).serialize())).isEqualTo(401);
        assertThat(settingsStatus(oidc.issueToken("tenant-1", "alice-sub", "api://someone-else", alice, 600).serialize())).isEqualTo(401);
        assertThat(settingsStatus(oidc.issueToken("tenant-1", "alice-sub", CLIENT_ID, alice, 600).serialize())).isEqualTo(200);
    }

    private int settingsStatus(String token) {
        return client.mutate().responseTimeout(Duration.ofSeconds(60)).build()
                .get().uri("/api/v1/addin/settings").headers(h -> h.setBearerAuth(token)).exchange()
                .returnResult(String.class).getStatus().value();
    }
}
