package dev.sealgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.sealgate.testkit.TestIdentityProvider;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AddinTokenValidatorTest {

    private final TestIdentityProvider idp = new TestIdentityProvider();

    @AfterEach
    void stop() {
        idp.close();
    }

    private AddinTokenValidator validator(String userClaim) {
        return new AddinTokenValidator(new AddinAuthProperties(TestIdentityProvider.ISSUER, TestIdentityProvider.AUDIENCE,
                URI.create(idp.jwksUrl()), userClaim, Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofSeconds(5), java.util.List.of(),
                null, null, null, null));
    }

    @Test
    void shouldFetchTheKeysAgainWhenTheIssuerRotatedToAnUnknownKeyId() throws Exception {
        AddinTokenValidator validator = validator("preferred_username");
        assertThat(validator.validate(idp.token("alice@example.org")).mailAddress()).isEqualTo("alice@example.org");

        RSAKey rotated = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        idp.publish(idp.rsaKey(), rotated);
        String token = TestIdentityProvider.sign("rsa-2", JWSAlgorithm.RS256,
                TestIdentityProvider.claimsFor("alice@example.org").build(), TestIdentityProvider.signer(rotated));

        assertThat(validator.validate(token).mailAddress()).isEqualTo("alice@example.org");
        idp.server().verify(2, WireMock.getRequestedFor(WireMock.urlEqualTo("/keys")));
    }

    @Test
    void shouldRefuseTokensSignedByKeysTheIssuerDoesNotPublishAsUnauthenticatedNotAsAnOutage() throws Exception {
        AddinTokenValidator validator = validator("preferred_username");
        assertThat(validator.validate(idp.token("alice@example.org")).mailAddress()).isEqualTo("alice@example.org");
        RSAKey foreign = new RSAKeyGenerator(2048).keyID("someone-elses-key").generate();
        String token = TestIdentityProvider.sign("someone-elses-key", JWSAlgorithm.RS256,
                TestIdentityProvider.claimsFor("alice@example.org").build(), TestIdentityProvider.signer(foreign));

        // the first unknown key id refetches the key set, the next ones meet the refetch rate limit: both are a 401
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThatThrownBy(() -> validator.validate(token))
                    .isInstanceOf(InvalidBearerTokenException.class)
                    .hasMessageContaining("not signed with RS256 or ES256 by a key of the configured issuer");
        }
    }

    @Test
    void shouldUseTheConfiguredUserClaim() throws Exception {
        String token = idp.token("ignored@example.org", c -> c.claim("email", "Carol@Example.org"));
        assertThat(validator("email").validate(token).mailAddress()).isEqualTo("carol@example.org");
    }

    @Test
    void shouldRefuseAUserClaimThatIsNoMailAddress() {
        String token = idp.token("alice@example.org", c -> c.claim("upn", "alice"));
        assertThatThrownBy(() -> validator("upn").validate(token))
                .isInstanceOf(InvalidBearerTokenException.class)
                .hasMessageContaining("upn claim is not a mail address");
    }

    @Test
    void shouldReportAnUnreachableIdentityProviderAsUnavailable() {
        String token = idp.token("alice@example.org");
        idp.server().stubFor(WireMock.get("/keys").willReturn(WireMock.serverError()));
        assertThatThrownBy(() -> validator("preferred_username").validate(token))
                .isInstanceOf(IdentityProviderUnavailableException.class)
                .hasMessageContaining("sealgate.addin.auth.jwk-set-uri");
    }

    @Test
    void shouldRefuseAClockSkewAboveSixtySeconds() {
        assertThatThrownBy(() -> new AddinAuthProperties("i", "a", URI.create("http://x"), "preferred_username",
                Duration.ofSeconds(61), Duration.ofMinutes(5), Duration.ofSeconds(5), java.util.List.of(), null, null, null, null))
                .hasMessageContaining("clock-skew");
    }
}
