package dev.sealgate.flags;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlagsTokenVerifierTest {

    private static final Instant NOW = Instant.parse("2026-05-04T10:00:00Z");
    private static final MessageFlags ENCRYPT_AND_SIGN = new MessageFlags(true, true, false);

    private final ECKey key = generate("k1");
    private final ECKey otherKey = generate("k2");
    private final FlagsSigningKeys ring = keyRing(key);

    @Test
    void shouldReturnTheFlagsOfAValidToken() {
        String token = issuerAt(NOW).issue("Alice@Example.org", ENCRYPT_AND_SIGN, "<m1@example.org>", Duration.ofHours(1)).token();

        FlagsVerification result = verifierAt(NOW.plusSeconds(600))
                .verify(token, "alice@example.org", List.of("alice@example.org"), "<m1@example.org>");

        assertThat(result).isInstanceOfSatisfying(FlagsVerification.Valid.class, valid -> {
            assertThat(valid.flags()).isEqualTo(ENCRYPT_AND_SIGN);
            assertThat(valid.sender()).isEqualTo("alice@example.org");
            assertThat(valid.messageId()).isEqualTo("<m1@example.org>");
            assertThat(valid.nonce()).isNotBlank();
        });
    }

    @Test
    void shouldReportAMissingHeader() {
        assertThat(verifierAt(NOW).verify(null, "alice@example.org", List.of("alice@example.org"), null))
                .isEqualTo(new FlagsVerification.Rejected(FlagsVerification.Reason.MISSING, "the message has no X-Sealgate-Flags header"));
    }

    @Test
    void shouldRejectGarbageAsMalformed() {
        assertThat(reason(verifierAt(NOW).verify("not-a-jws", "alice@example.org", List.of("alice@example.org"), null)))
                .isEqualTo(FlagsVerification.Reason.MALFORMED);
    }

    @Test
    void shouldRejectATokenSignedWithAKeyTheServiceDoesNotHold() {
        String token = new FlagsTokenIssuer(keyRing(otherKey), Clock.fixed(NOW, ZoneOffset.UTC))
                .issue("alice@example.org", ENCRYPT_AND_SIGN, null, Duration.ofHours(1)).token();

        assertThat(reason(verifierAt(NOW).verify(token, "alice@example.org", List.of("alice@example.org"), null)))
                .isEqualTo(FlagsVerification.Reason.FORGED);
    }

    @Test
    void shouldRejectAForeignKeyThatClaimsOurKeyId() throws Exception {
        ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID(key.getKeyID()).generate();
        String token = new FlagsTokenIssuer(keyRing(impostor), Clock.fixed(NOW, ZoneOffset.UTC))
                .issue("alice@example.org", ENCRYPT_AND_SIGN, null, Duration.ofHours(1)).token();

        assertThat(reason(verifierAt(NOW).verify(token, "alice@example.org", List.of("alice@example.org"), null)))
                .isEqualTo(FlagsVerification.Reason.FORGED);
    }

    @Test
    void shouldRejectATamperedPayload() {
        String token = issuerAt(NOW).issue("alice@example.org", new MessageFlags(true, false, false), null, Duration.ofHours(1)).token();
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"encrypt\"", "\"sign\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];

        assertThat(reason(verifierAt(NOW).verify(tampered, "alice@example.org", List.of("alice@example.org"), null)))
                .isEqualTo(FlagsVerification.Reason.FORGED);
    }

    @Test
    void shouldRejectAnExpiredToken() {
        String token = issuerAt(NOW).issue("alice@example.org", ENCRYPT_AND_SIGN, null, Duration.ofMinutes(10)).token();

        FlagsVerification result = verifierAt(NOW.plus(Duration.ofMinutes(12)))
                .verify(token, "alice@example.org", List.of("alice@example.org"), null);

        assertThat(reason(result)).isEqualTo(FlagsVerification.Reason.EXPIRED);
    }

    @Test
    void shouldRejectATokenForAnotherEnvelopeSender() {
        String token = issuerAt(NOW).issue("alice@example.org", ENCRYPT_AND_SIGN, null, Duration.ofHours(1)).token();

        assertThat(reason(verifierAt(NOW).verify(token, "bob@example.org", List.of("alice@example.org"), null)))
                .isEqualTo(FlagsVerification.Reason.MISMATCHED);
        assertThat(reason(verifierAt(NOW).verify(token, "alice@example.org", List.of("bob@example.org"), null)))
                .isEqualTo(FlagsVerification.Reason.MISMATCHED);
        assertThat(reason(verifierAt(NOW).verify(token, "alice@example.org", List.of("alice@example.org", "bob@example.org"), null)))
                .isEqualTo(FlagsVerification.Reason.MISMATCHED);
    }

    @Test
    void shouldRejectATokenForAnotherMessageId() {
        String token = issuerAt(NOW).issue("alice@example.org", ENCRYPT_AND_SIGN, "<m1@example.org>", Duration.ofHours(1)).token();

        assertThat(reason(verifierAt(NOW).verify(token, "alice@example.org", List.of("alice@example.org"), "<m2@example.org>")))
                .isEqualTo(FlagsVerification.Reason.MISMATCHED);
    }

    @Test
    void shouldRejectAJwsOfAnotherTypeSignedWithTheFlagsKey() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("alice@example.org").claim("flags", List.of("encrypt"))
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(600))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new ECDSASigner(key));

        assertThat(reason(verifierAt(NOW).verify(jwt.serialize(), "alice@example.org", List.of("alice@example.org"), null)))
                .isEqualTo(FlagsVerification.Reason.MALFORMED);
    }

    private static FlagsVerification.Reason reason(FlagsVerification result) {
        assertThat(result).isInstanceOf(FlagsVerification.Rejected.class);
        return ((FlagsVerification.Rejected) result).reason();
    }

    private FlagsTokenIssuer issuerAt(Instant now) {
        return new FlagsTokenIssuer(ring, Clock.fixed(now, ZoneOffset.UTC));
    }

    private FlagsTokenVerifier verifierAt(Instant now) {
        return new FlagsTokenVerifier(ring, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static FlagsSigningKeys keyRing(ECKey signing) {
        Map<String, ECKey> byKid = Map.of(signing.getKeyID(), signing.toPublicJWK());
        return new FlagsSigningKeys() {
            @Override
            public ECKey currentSigningKey() {
                return signing;
            }

            @Override
            public Optional<ECKey> verificationKey(String kid) {
                return Optional.ofNullable(byKid.get(kid));
            }
        };
    }

    private static ECKey generate(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
