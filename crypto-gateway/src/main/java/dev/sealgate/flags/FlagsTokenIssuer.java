package dev.sealgate.flags;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Signs the flags a sender chose into a compact ES256 JWS bound to that sender and, when known, the Message-ID. */
public final class FlagsTokenIssuer {

    private final FlagsSigningKeys keys;
    private final Clock clock;

    public FlagsTokenIssuer(FlagsSigningKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * @param sender    the authenticated user's mail address; the gateway requires it as envelope sender and header From
     * @param messageId the Internet Message-ID if the add-in knows it, else {@code null}
     */
    public IssuedFlagsToken issue(String sender, MessageFlags flags, String messageId, Duration lifetime) {
        ECKey key = keys.currentSigningKey();
        Instant now = clock.instant();
        Instant expires = now.plus(lifetime);
        String nonce = UUID.randomUUID().toString();
        List<String> names = new ArrayList<>();
        if (flags.encrypt()) {
            names.add(FlagsToken.FLAG_ENCRYPT);
        }
        if (flags.sign()) {
            names.add(FlagsToken.FLAG_SIGN);
        }
        if (flags.largeFiles()) {
            names.add(FlagsToken.FLAG_LARGE_FILES);
        }
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(sender.toLowerCase(Locale.ROOT))
                .claim(FlagsToken.CLAIM_FLAGS, names)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .jwtID(nonce);
        if (messageId != null && !messageId.isBlank()) {
            claims.claim(FlagsToken.CLAIM_MESSAGE_ID, messageId.strip());
        }
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(key.getKeyID())
                .type(new JOSEObjectType(FlagsToken.TYPE))
                .build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a flags token with key " + key.getKeyID(), e);
        }
        return new IssuedFlagsToken(jwt.serialize(), nonce, expires);
    }
}
