package dev.sealgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import dev.sealgate.testkit.TestIdentityProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Every way to fake or misuse a bearer token gets 401 (or 403 for acting as someone else), as a problem detail without the token. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class AddinAuthenticationTest {

    private static final String SETTINGS = "/api/v1/addin/settings";
    private static final TestIdentityProvider idp = new TestIdentityProvider();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.domains", () -> "example.org");
        registry.add("sealgate.addin.auth.allowed-tenants", () -> "other-tenant, " + TestIdentityProvider.TENANT);
        idp.register(registry);
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    @Autowired
    WebTestClient client;

    @Test
    void shouldAcceptAnRs256TokenFromTheIssuer() {
        client.get().uri(SETTINGS).headers(h -> h.setBearerAuth(idp.token("Alice@Example.org"))).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.user").isEqualTo("alice@example.org");
    }

    @Test
    void shouldAcceptAnEs256TokenFromTheIssuer() {
        client.get().uri(SETTINGS).headers(h -> h.setBearerAuth(idp.es256(TestIdentityProvider.claimsFor("alice@example.org").build())))
                .exchange()
                .expectStatus().isOk();
    }

    @Test
    void shouldAcceptATokenExpiredWithinTheClockSkew() {
        String token = idp.token("alice@example.org", c -> c.expirationTime(Date.from(Instant.now().minusSeconds(20))));
        client.get().uri(SETTINGS).headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isOk();
    }

    @Test
    void shouldRefuseACallWithoutToken() {
        client.get().uri(SETTINGS).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueMatches("WWW-Authenticate", "Bearer .*invalid_token.*")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void shouldRefuseAnUnsignedTokenWithAlgNone() {
        String payload = base64(TestIdentityProvider.claimsFor("alice@example.org").build().toString());
        String token = base64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".";
        assertRefused(token);
    }

    @Test
    void shouldRefuseHs256SignedWithTheRsaPublicKeyAsSecret() throws Exception {
        byte[] publicKeyAsSecret = idp.rsaKey().toRSAPublicKey().getEncoded();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(idp.rsaKey().getKeyID()).build(),
                TestIdentityProvider.claimsFor("alice@example.org").build());
        jwt.sign(new MACSigner(java.util.Arrays.copyOf(publicKeyAsSecret, Math.max(32, publicKeyAsSecret.length))));
        assertRefused(jwt.serialize());
    }

    @Test
    void shouldRefuseAnExpiredToken() {
        assertRefused(idp.token("alice@example.org", c -> c.expirationTime(Date.from(Instant.now().minusSeconds(120)))), "expired");
    }

    @Test
    void shouldRefuseATokenNotYetValid() {
        assertRefused(idp.token("alice@example.org", c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(300)))), "not valid yet");
    }

    @Test
    void shouldRefuseAWrongIssuer() {
        assertRefused(idp.token("alice@example.org", c -> c.issuer("https://evil.example/v2.0")), "not issued for this service");
    }

    @Test
    void shouldRefuseAWrongAudience() {
        assertRefused(idp.token("alice@example.org", c -> c.audience("api://another-app")), "not issued for this service");
    }

    @Test
    void shouldRefuseATokenWithoutTheUserClaim() {
        assertRefused(idp.token("alice@example.org", c -> c.claim("preferred_username", null)), "not issued for this service");
    }

    @Test
    void shouldRefuseAnUnknownKeyId() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-unknown").generate();
        String token = TestIdentityProvider.sign(stranger.getKeyID(), JWSAlgorithm.RS256,
                TestIdentityProvider.claimsFor("alice@example.org").build(), TestIdentityProvider.signer(stranger));
        assertRefused(token, "not signed");
    }

    @Test
    void shouldRefuseAKnownKeyIdWithAForeignSignature() throws Exception {
        RSAKey impostor = new RSAKeyGenerator(2048).keyID(idp.rsaKey().getKeyID()).generate();
        String token = TestIdentityProvider.sign(impostor.getKeyID(), JWSAlgorithm.RS256,
                TestIdentityProvider.claimsFor("alice@example.org").build(), TestIdentityProvider.signer(impostor));
        assertRefused(token, "not signed");
    }

    @Test
    void shouldRefuseATamperedPayload() {
        String[] parts = idp.token("alice@example.org").split("\\.");
        String payload = new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8).replace("alice@example.org", "bob@example.org");
        assertRefused(parts[0] + "." + base64(payload) + "." + parts[2], "not signed");
    }

    @Test
    void shouldRefuseGarbage() {
        assertRefused("Zm9vYmFy.YmF6cXV1eA.c2lnbmF0dXJl", "not a JWT");
    }

    @Test
    void shouldForbidFlagsForAnotherSender() {
        client.post().uri("/api/v1/addin/flags").headers(h -> h.setBearerAuth(idp.token("alice@example.org")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"sender\":\"bob@example.org\",\"encrypt\":true,\"sign\":false,\"largeFiles\":false}")
                .exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d)
                        .contains("bob@example.org").contains("alice@example.org"));
    }

    @Test
    void shouldRefuseATokenOfAnotherTenant() {
        assertRefused(idp.token("alice@example.org", c -> c.claim("tid", "evil-tenant")), "tenant (tid)");
    }

    @Test
    void shouldRefuseATokenWithoutTenant() {
        assertRefused(idp.token("alice@example.org", c -> c.claim("tid", null)), "tenant (tid)");
    }

    @Test
    void shouldForbidAValidTokenOfAUserOutsideTheOwnDomains() {
        client.get().uri(SETTINGS).headers(h -> h.setBearerAuth(idp.token("mallory@evil.example"))).exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d)
                        .contains("mallory@evil.example").contains("sealgate.domains"));
    }

    @Test
    void shouldForbidAUserAtASubdomainOfAnOwnDomain() {
        client.get().uri(SETTINGS).headers(h -> h.setBearerAuth(idp.token("mallory@evil.example.org"))).exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void shouldIgnoreABearerTokenOnTheAdminApi() {
        client.get().uri("/api/v1/admin/events").headers(h -> h.setBearerAuth(idp.token("alice@example.org"))).exchange()
                .expectStatus().isEqualTo(503);
    }

    @Test
    void shouldGuardTheFilesApiToo() {
        client.post().uri("/api/v1/files?name=a.txt").bodyValue("x").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void shouldLeaveHealthPortalAndAdminToTheirOwnRules() {
        client.get().uri("/actuator/health").exchange().expectStatus().isOk();
        client.get().uri("/portal/d/unknown").exchange().expectStatus().isNotFound();
        client.get().uri("/api/v1/admin/events").exchange().expectStatus().isEqualTo(503);
    }

    private void assertRefused(String token) {
        assertRefused(token, "");
    }

    private void assertRefused(String token, String reason) {
        client.get().uri(SETTINGS).headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).value(body -> {
                    assertThat(body).contains(reason).contains("Invalid bearer token");
                    assertThat(body).doesNotContain(token).doesNotContain(token.split("\\.")[0]);
                });
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
