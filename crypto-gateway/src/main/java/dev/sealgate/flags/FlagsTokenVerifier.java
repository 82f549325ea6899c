package dev.sealgate.flags;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks an {@code X-Sealgate-Flags} header on outbound mail: ES256 signature by one of the service's
 * flags keys, not expired, issued for the envelope sender and the (single) header From, and for the
 * message's Message-ID when the token names one. Pure: no storage, no framework; the key ring and
 * the clock come in.
 */
public final class FlagsTokenVerifier {

    /** Clock difference tolerated between the node that issued a token and the node that verifies it. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private final FlagsKeyRing keyRing;
    private final Clock clock;

    public FlagsTokenVerifier(FlagsKeyRing keyRing, Clock clock) {
        this.keyRing = keyRing;
        this.clock = clock;
    }

    /**
     * @param headerValue    the {@code X-Sealgate-Flags} header, or {@code null} when the message has none
     * @param envelopeSender the SMTP MAIL FROM address
     * @param headerFrom     the addresses of the From header
     * @param messageId      the message's Message-ID header, or {@code null}
     */
    public FlagsVerification verify(String headerValue, String envelopeSender, List<String> headerFrom, String messageId) {
        if (headerValue == null || headerValue.isBlank()) {
            return new FlagsVerification.Rejected(FlagsVerification.Reason.MISSING, "the message has no " + FlagsToken.HEADER + " header");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(headerValue.strip());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return rejected(FlagsVerification.Reason.MALFORMED, FlagsToken.HEADER + " is not a signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())
                || header.getType() == null || !FlagsToken.TYPE.equals(header.getType().getType())) {
            return rejected(FlagsVerification.Reason.MALFORMED, FlagsToken.HEADER + " must be an ES256 JWS of type " + FlagsToken.TYPE);
        }
        Optional<ECKey> key = header.getKeyID() == null ? Optional.empty() : keyRing.verificationKey(header.getKeyID());
        if (key.isEmpty()) {
            return rejected(FlagsVerification.Reason.FORGED, FlagsToken.HEADER + " names a key this service does not hold");
        }
        try {
            if (!jwt.verify(new ECDSAVerifier(key.get().toPublicJWK()))) {
                return rejected(FlagsVerification.Reason.FORGED, "the signature of " + FlagsToken.HEADER + " does not verify");
            }
        } catch (JOSEException e) {
            return rejected(FlagsVerification.Reason.FORGED, "the signature of " + FlagsToken.HEADER + " cannot be checked: " + e.getMessage());
        }
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null || claims.getIssueTime() == null) {
            return rejected(FlagsVerification.Reason.MALFORMED, FlagsToken.HEADER + " lacks iat or exp");
        }
        Instant expires = claims.getExpirationTime().toInstant();
        if (!now.isBefore(expires.plus(CLOCK_SKEW))) {
            return rejected(FlagsVerification.Reason.EXPIRED, FlagsToken.HEADER + " expired at " + expires);
        }
        if (claims.getIssueTime().toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            return rejected(FlagsVerification.Reason.EXPIRED, FlagsToken.HEADER + " is issued in the future");
        }
        String sender = claims.getSubject();
        if (sender == null || envelopeSender == null || !sender.equalsIgnoreCase(envelopeSender.strip())) {
            return rejected(FlagsVerification.Reason.MISMATCHED,
                    FlagsToken.HEADER + " was issued for " + sender + ", the envelope sender is " + envelopeSender);
        }
        if (headerFrom == null || headerFrom.size() != 1 || !sender.equalsIgnoreCase(headerFrom.get(0).strip())) {
            return rejected(FlagsVerification.Reason.MISMATCHED,
                    FlagsToken.HEADER + " was issued for " + sender + ", the header From is " + headerFrom);
        }
        String tokenMessageId;
        List<String> flagNames;
        try {
            tokenMessageId = claims.getStringClaim(FlagsToken.CLAIM_MESSAGE_ID);
            flagNames = claims.getStringListClaim(FlagsToken.CLAIM_FLAGS);
        } catch (ParseException e) {
            return rejected(FlagsVerification.Reason.MALFORMED, FlagsToken.HEADER + " has malformed claims");
        }
        if (tokenMessageId != null && messageId != null && !tokenMessageId.equals(messageId.strip())) {
            return rejected(FlagsVerification.Reason.MISMATCHED,
                    FlagsToken.HEADER + " was issued for Message-ID " + tokenMessageId + ", the message has " + messageId);
        }
        List<String> names = flagNames == null ? List.of() : flagNames;
        MessageFlags flags = new MessageFlags(names.contains(FlagsToken.FLAG_ENCRYPT),
                names.contains(FlagsToken.FLAG_SIGN), names.contains(FlagsToken.FLAG_LARGE_FILES));
        return new FlagsVerification.Valid(flags, sender.toLowerCase(Locale.ROOT), claims.getJWTID(), tokenMessageId, expires);
    }

    private static FlagsVerification rejected(FlagsVerification.Reason reason, String detail) {
        return new FlagsVerification.Rejected(reason, detail);
    }
}
