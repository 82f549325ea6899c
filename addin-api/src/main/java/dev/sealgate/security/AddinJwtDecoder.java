package dev.sealgate.security;

import dev.sealgate.tracking.EventLog;
import dev.sealgate.web.Blocking;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * The resource server's decoder for add-in tokens: {@link AddinTokenValidator} (Nimbus, RS256/ES256,
 * issuer, audience, tenant, skew, cached JWKS) on the bounded-elastic scheduler, because a JWKS
 * refresh blocks. A token that authenticates nobody is a {@link BadJwtException} (401); keys that
 * cannot be fetched, or no issuer configured, are a plain {@link JwtException} (503).
 */
class AddinJwtDecoder implements ReactiveJwtDecoder {

    static final String NOT_CONFIGURED = "The add-in API is closed because its identity provider is not configured: set "
            + "sealgate.addin.auth.issuer, sealgate.addin.auth.audience and sealgate.addin.auth.jwk-set-uri.";

    private final AddinTokenValidator validator;
    private final String userClaim;
    private final EventLog eventLog;

    /** @param validator null when the add-in API is not configured */
    AddinJwtDecoder(AddinTokenValidator validator, String userClaim, EventLog eventLog) {
        this.validator = validator;
        this.userClaim = userClaim;
        this.eventLog = eventLog;
    }

    @Override
    public Mono<Jwt> decode(String token) {
        if (validator == null) {
            return Mono.error(new JwtException(NOT_CONFIGURED));
        }
        return Blocking.call(() -> {
            try {
                AddinUser user = validator.validate(token);
                return Jwt.withTokenValue(token)
                        .header("alg", "checked by AddinTokenValidator")
                        .subject(user.subject())
                        .claim(userClaim, user.mailAddress())
                        .build();
            } catch (InvalidBearerTokenException e) {
                throw new BadJwtException(e.getMessage());
            } catch (IdentityProviderUnavailableException e) {
                eventLog.error("addin-auth", "Could not check add-in tokens: identity provider keys unavailable", e.getMessage());
                throw new JwtException(e.getMessage());
            }
        });
    }
}
