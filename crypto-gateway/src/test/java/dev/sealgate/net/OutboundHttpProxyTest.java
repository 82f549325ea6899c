package dev.sealgate.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealgate.revocation.HttpFixture;
import dev.sealgate.revocation.RevocationPki;
import dev.sealgate.revocation.RevocationService;
import dev.sealgate.revocation.RevocationSettings;
import dev.sealgate.revocation.StoredRevocation;
import dev.sealgate.smime.RevocationStatus;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one outbound HTTP factory through a real proxy: tinyproxy with and without Basic authentication. */
class OutboundHttpProxyTest {

    @TempDir
    static Path dir;

    static Tinyproxy withAuth;
    static Tinyproxy open;
    static HttpFixture origin;

    @BeforeAll
    static void start() throws Exception {
        withAuth = Tinyproxy.start(dir.resolve("auth"), "gateway", "pr0xy-s3cret");
        open = Tinyproxy.start(dir.resolve("open"), null, null);
        origin = new HttpFixture();
        origin.serve("/hello", HttpFixture.Answer.ok("hello".getBytes(StandardCharsets.US_ASCII), Map.of()));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {withAuth, open, origin}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private static OutboundHttp http(OutboundProxy proxy) {
        return new OutboundHttp(new OutboundHttp.OutboundHttpSettings(Duration.ofSeconds(5), Duration.ofSeconds(10), Optional.ofNullable(proxy)));
    }

    private static OutboundHttp.Response get(OutboundHttp http, String path) throws IOException {
        return http.send(http.request(URI.create(origin.url(path))).GET().build(), 1024);
    }

    private static HttpFixture.Request lastRequest(String path) {
        List<HttpFixture.Request> requests = origin.requests(path);
        return requests.get(requests.size() - 1);
    }

    @Test
    void shouldGoThroughTheProxyWithBasicAuthAndNeverShowTheCredentialsToTheOrigin() throws Exception {
        OutboundProxy proxy = new OutboundProxy("127.0.0.1", withAuth.port(), OutboundProxy.Auth.BASIC, "gateway", "pr0xy-s3cret", List.of());

        OutboundHttp.Response response = get(http(proxy), "/hello");

        assertThat(response.status()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        HttpFixture.Request seen = lastRequest("/hello");
        assertThat(seen.header("Via")).contains("tinyproxy");
        assertThat(seen.header("Proxy-Authorization")).isNull();
        assertThat(seen.header("Authorization")).isNull();
    }

    @Test
    void shouldBeRefusedByAProxyThatWantsCredentialsWhenNoneAreConfigured() throws Exception {
        OutboundProxy proxy = new OutboundProxy("127.0.0.1", withAuth.port(), OutboundProxy.Auth.NONE, null, null, List.of());

        assertThat(get(http(proxy), "/hello").status()).isEqualTo(407);
    }

    @Test
    void shouldNotGetThroughWithAWrongPassword() throws Exception {
        OutboundProxy proxy = new OutboundProxy("127.0.0.1", withAuth.port(), OutboundProxy.Auth.BASIC, "gateway", "wrong", List.of());

        assertThatThrownBy(() -> get(http(proxy), "/hello")).isInstanceOf(IOException.class)
                .hasMessageContaining("through the proxy 127.0.0.1:" + withAuth.port())
                .hasMessageNotContaining("wrong");
    }

    @Test
    void shouldGoThroughAProxyWithoutAuthentication() throws Exception {
        OutboundProxy proxy = new OutboundProxy("127.0.0.1", open.port(), OutboundProxy.Auth.NONE, null, null, List.of());

        assertThat(get(http(proxy), "/hello").status()).isEqualTo(200);
        assertThat(lastRequest("/hello").header("Via")).contains("tinyproxy");
    }

    @Test
    void shouldReachANonProxyHostDirectly() throws Exception {
        OutboundProxy proxy = new OutboundProxy("127.0.0.1", open.port(), OutboundProxy.Auth.NONE, null, null, List.of("127.0.0.*"));

        assertThat(get(http(proxy), "/hello").status()).isEqualTo(200);
        assertThat(lastRequest("/hello").header("Via")).isNull();
    }

    @Test
    void shouldCheckRevocationThroughTheProxy() throws Exception {
        RevocationPki pki = new RevocationPki("Proxy Test", null);
        RevocationPki.User user = pki.user("user@partner.test", RevocationPki.serial(), null, origin.url("/proxied.crl"));
        origin.serve("/proxied.crl", HttpFixture.Answer.ok(pki.caCrl(Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600),
                user.certificate()).getEncoded(), Map.of()));
        OutboundProxy proxy = new OutboundProxy("127.0.0.1", withAuth.port(), OutboundProxy.Auth.BASIC, "gateway", "pr0xy-s3cret", List.of());

        try (RevocationService service = new RevocationService(http(proxy), RevocationSettings.DEFAULTS, StoredRevocation.NONE,
                Clock.systemUTC())) {
            assertThat(service.check(List.of(user.certificate(), pki.ca))).singleElement()
                    .satisfies(r -> assertThat(r.status()).isInstanceOf(RevocationStatus.Revoked.class));
        }
        assertThat(lastRequest("/proxied.crl").header("Via")).contains("tinyproxy");
    }

    @Test
    void shouldOpenUrlConnectionsThroughTheProxyWithoutHandingTheCredentialsOn() throws Exception {
        OutboundProxy proxy = new OutboundProxy("127.0.0.1", withAuth.port(), OutboundProxy.Auth.BASIC, "gateway", "pr0xy-s3cret", List.of());

        java.net.HttpURLConnection connection = OutboundHttp.openConnection(URI.create(origin.url("/hello")), Optional.of(proxy),
                Duration.ofSeconds(5), Duration.ofSeconds(10));

        assertThat(connection.getResponseCode()).isEqualTo(200);
        assertThat(connection.usingProxy()).isTrue();
        HttpFixture.Request seen = lastRequest("/hello");
        assertThat(seen.header("Via")).contains("tinyproxy");
        assertThat(seen.header("Proxy-Authorization")).isNull();
        assertThat(seen.header("Authorization")).isNull();
    }

    @Test
    void shouldFetchAJwksThroughTheProxyForNimbus() throws Exception {
        String jwks = "{\"keys\":[]}";
        origin.serve("/jwks.json", HttpFixture.Answer.ok(jwks.getBytes(StandardCharsets.US_ASCII),
                Map.of("Content-Type", "application/json")));
        OutboundProxy proxy = new OutboundProxy("127.0.0.1", withAuth.port(), OutboundProxy.Auth.BASIC, "gateway", "pr0xy-s3cret", List.of());

        com.nimbusds.jose.util.Resource resource = new OutboundResourceRetriever(http(proxy), 50 * 1024)
                .retrieveResource(URI.create(origin.url("/jwks.json")).toURL());

        assertThat(resource.getContent()).isEqualTo(jwks);
        assertThat(resource.getContentType()).isEqualTo("application/json");
        assertThat(lastRequest("/jwks.json").header("Via")).contains("tinyproxy");
        assertThat(lastRequest("/jwks.json").header("Proxy-Authorization")).isNull();
    }

    @Test
    void shouldSayWhenTheProxyRefusesTheJwksFetch() {
        OutboundProxy proxy = new OutboundProxy("127.0.0.1", withAuth.port(), OutboundProxy.Auth.NONE, null, null, List.of());

        assertThatThrownBy(() -> new OutboundResourceRetriever(http(proxy), 50 * 1024)
                .retrieveResource(URI.create(origin.url("/jwks.json")).toURL()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("proxy refused authentication (407) at 127.0.0.1:" + withAuth.port());
    }

    @Test
    void shouldMatchNonProxyHostsExactlyAsConfigured() {
        OutboundProxy proxy = new OutboundProxy("proxy.corp.example", 3128, OutboundProxy.Auth.NONE, null, null,
                List.of("*.internal.example", "crl.partner.example", "10.*"));

        assertThat(proxy.bypasses("ocsp.INTERNAL.example")).isTrue();
        assertThat(proxy.bypasses("crl.partner.example")).isTrue();
        assertThat(proxy.bypasses("10.1.2.3")).isTrue();
        assertThat(proxy.bypasses("internal.example.evil.test")).isFalse();
        assertThat(proxy.bypasses("www.crl.partner.example")).isFalse();
        assertThat(proxy.bypasses("localhost")).isFalse();
        assertThat(proxy.bypasses("127.0.0.1")).isFalse();
    }

    @Test
    void shouldKeepThePasswordOutOfItsDescriptionAndRefuseIncompleteSettings() {
        OutboundProxy proxy = new OutboundProxy("proxy.corp.example", 3128, OutboundProxy.Auth.BASIC, "gw", "t0p-s3cret", List.of());

        assertThat(proxy.toString()).contains("proxy.corp.example:3128", "gw").doesNotContain("t0p-s3cret");
        assertThatThrownBy(() -> new OutboundProxy("proxy.corp.example", 3128, OutboundProxy.Auth.BASIC, "gw", null, List.of()))
                .hasMessageContaining("sealgate.proxy.password").hasMessageNotContaining("t0p");
        assertThatThrownBy(() -> new OutboundProxy(" ", 3128, OutboundProxy.Auth.NONE, null, null, List.of()))
                .hasMessageContaining("sealgate.proxy.host");
        assertThatThrownBy(() -> new OutboundProxy("proxy.corp.example", 0, OutboundProxy.Auth.NONE, null, null, List.of()))
                .hasMessageContaining("sealgate.proxy.port");
    }
}
