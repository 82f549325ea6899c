package dev.sealgate.testkit;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * An OIDC issuer for tests: its JWKS is served by WireMock, its keys sign tokens the way Entra ID does
 * (RS256, typ JWT, kid), and a test can change any claim or header to build an attack.
 */
public final class TestIdentityProvider implements AutoCloseable {

    public static final String ISSUER = "https://login.example.test/tenant-1/v2.0";
    public static final String AUDIENCE = "api://sealgate-addin";
    /** The Entra ID tenant ({@code tid}) of every token unless a test changes it. */
    public static final String TENANT = "tenant-1";

    private final WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private final RSAKey rsaKey;
    private final ECKey ecKey;

    public TestIdentityProvider() {
        try {
            rsaKey = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
            ecKey = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        server.start();
        publish(rsaKey, ecKey);
    }

    /** Serves exactly these keys (public parts) from now on. */
    public void publish(JWK... keys) {
        List<JWK> publicKeys = java.util.Arrays.stream(keys).map(JWK::toPublicJWK).toList();
        server.stubFor(WireMock.get("/keys").willReturn(WireMock.okJson(new JWKSet(publicKeys).toString())));
    }

    public String jwksUrl() {
        return server.baseUrl() + "/keys";
    }

    public WireMockServer server() {
        return server;
    }

    public RSAKey rsaKey() {
        return rsaKey;
    }

    public ECKey ecKey() {
        return ecKey;
    }

    public void register(DynamicPropertyRegistry registry) {
        registry.add("sealgate.addin.auth.issuer", () -> ISSUER);
        registry.add("sealgate.addin.auth.audience", () -> AUDIENCE);
        registry.add("sealgate.addin.auth.jwk-set-uri", this::jwksUrl);
    }

    /** Claims of a good token for {@code user}, valid for 10 minutes. */
    public static JWTClaimsSet.Builder claimsFor(String user) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject("sub-" + user)
                .claim("tid", TENANT)
                .claim("preferred_username", user)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))));
    }

    public String token(String user) {
        return rs256(claimsFor(user).build());
    }

    public String token(String user, UnaryOperator<JWTClaimsSet.Builder> change) {
        return rs256(change.apply(claimsFor(user)).build());
    }

    public String rs256(JWTClaimsSet claims) {
        return sign(rsaKey.getKeyID(), JWSAlgorithm.RS256, claims, signer(rsaKey));
    }

    public String es256(JWTClaimsSet claims) {
        return sign(ecKey.getKeyID(), JWSAlgorithm.ES256, claims, signer(ecKey));
    }

    public static String sign(String kid, JWSAlgorithm algorithm, JWTClaimsSet claims, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    public static JWSSigner signer(JWK key) {
        try {
            return key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
