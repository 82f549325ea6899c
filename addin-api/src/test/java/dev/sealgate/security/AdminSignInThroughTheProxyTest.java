package dev.sealgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.net.Tinyproxy;
import dev.sealgate.testkit.Browser;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 13 for the admin console's OpenID Connect sign-in: with {@code sealgate.proxy.*} set, the
 * service's own calls to the identity provider (discovery, code redemption, keys, user info) go
 * through the proxy, a real tinyproxy with Basic authentication; the browser reaches the provider
 * directly, as a browser on the admin's desk would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class AdminSignInThroughTheProxyTest {

    private static final String ISSUER_ID = "proxied-idp";
    private static final String CLIENT_ID = "sealgate-console";
    private static final String PROXY_PASSWORD = "Oidc-Pr0xy-Secret";
    private static final MockOAuth2Server idp = new MockOAuth2Server();

    static {
        idp.start();
    }

    @TempDir
    static Path dataDir;

    static Tinyproxy proxy;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        proxy = Tinyproxy.start(dataDir.resolve("tinyproxy"), "oidc-gw", PROXY_PASSWORD);
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.admin.oidc.issuer-uri", () -> idp.issuerUrl(ISSUER_ID).toString());
        registry.add("sealgate.admin.oidc.client-id", () -> CLIENT_ID);
        registry.add("sealgate.admin.oidc.client-secret", () -> "oidc-client-secret-4711");
        registry.add("sealgate.admin.oidc.role-mapping[sealgate-admins]", () -> "admin");
        registry.add("sealgate.proxy.host", () -> "127.0.0.1");
        registry.add("sealgate.proxy.port", () -> proxy.port());
        registry.add("sealgate.proxy.auth", () -> "basic");
        registry.add("sealgate.proxy.username", () -> "oidc-gw");
        registry.add("sealgate.proxy.password", () -> PROXY_PASSWORD);
    }

    @AfterAll
    static void stop() {
        idp.shutdown();
        if (proxy != null) {
            proxy.close();
        }
    }

    @LocalServerPort
    int port;

    @Test
    void shouldSignInAnAdminWithEveryCallToTheIdentityProviderGoingThroughTheProxy(CapturedOutput output) throws Exception {
        idp.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "sub-ada", "JWT", List.of(CLIENT_ID),
                Map.of("preferred_username", "ada.admin@example.org", "roles", List.of("sealgate-admins")), 3600));
        Browser browser = new Browser(port);

        HttpResponse<String> landed = browser.get("/oauth2/authorization/" + OidcAdminSignIn.REGISTRATION_ID);

        assertThat(landed.uri().getPath()).as("after the code flow the browser lands on the console").isEqualTo("/console/");
        HttpResponse<String> me = browser.get("/api/v1/admin/me");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"name\":\"ada.admin@example.org\"").contains("\"roles\":[\"admin\"]");
        int idpPort = idp.issuerUrl(ISSUER_ID).port();
        assertThat(proxy.requests())
                .as("discovery through the proxy (plain HTTP, absolute URL)")
                .anySatisfy(line -> assertThat(line).matches("GET http://[^/]+:" + idpPort + "/" + ISSUER_ID
                        + "/\\.well-known/openid-configuration HTTP/1\\.1"))
                .as("code redemption, keys and user info through tunnels of the proxy")
                .anySatisfy(line -> assertThat(line).matches("CONNECT [^ ]+:" + idpPort + " HTTP/1\\.1"));
        assertThat(output.getAll()).doesNotContain(PROXY_PASSWORD);
    }
}
