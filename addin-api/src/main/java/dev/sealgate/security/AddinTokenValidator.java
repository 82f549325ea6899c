package dev.sealgate.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.sealgate.net.OutboundHttp;
import dev.sealgate.net.OutboundProxy;
import dev.sealgate.net.OutboundResourceRetriever;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Validates the add-in's bearer tokens: RS256 or ES256 signature by a key of the issuer's JWKS
 * (cached, refreshed when a token names an unknown key id), exact issuer, our audience, {@code exp}
 * and {@code nbf} within the configured clock skew, an allowed tenant ({@code tid}) when tenants are
 * configured, and a mail address in the configured claim.
 * Blocking (the JWKS fetch): call it off the event loop.
 */
public class AddinTokenValidator {

    private static final String NOT_SIGNED_BY_THE_ISSUER =
            "the bearer token is not signed with RS256 or ES256 by a key of the configured issuer (sealgate.addin.auth.jwk-set-uri)";

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String userClaim;
    private final Set<String> allowedTenants;

    public AddinTokenValidator(AddinAuthProperties properties) {
        this(properties, Optional.empty());
    }

    /** @param proxy the outbound proxy ({@code sealgate.proxy.*}) for the JWKS fetch; empty: direct */
    public AddinTokenValidator(AddinAuthProperties properties, Optional<OutboundProxy> proxy) {
        JWKSource<SecurityContext> keys;
        try {
            OutboundHttp http = new OutboundHttp(new OutboundHttp.OutboundHttpSettings(properties.jwksTimeout(),
                    properties.jwksTimeout(), proxy));
            keys = JWKSourceBuilder.<SecurityContext>create(properties.jwkSetUri().toURL(),
                            new OutboundResourceRetriever(http, JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT))
                    .cache(properties.jwksCacheTtl().toMillis(), JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT)
                    .refreshAheadCache(false)
                    .retrying(true)
                    .rateLimited(true)
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("sealgate.addin.auth.jwk-set-uri is not a URL: " + properties.jwkSetUri(), e);
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                Set.of(properties.audience()),
                new JWTClaimsSet.Builder().issuer(properties.issuer()).build(),
                Set.of("exp", "sub", properties.userClaim()),
                null);
        claims.setMaxClockSkew((int) properties.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        this.userClaim = properties.userClaim();
        this.allowedTenants = properties.allowedTenants().stream().map(t -> t.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /**
     * @throws InvalidBearerTokenException the token authenticates nobody (401)
     * @throws IdentityProviderUnavailableException the issuer's keys could not be fetched (503)
     */
    public AddinUser validate(String token) throws InvalidBearerTokenException, IdentityProviderUnavailableException {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidBearerTokenException("the bearer token is not a JWT");
        } catch (BadJWTException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("Expired")) {
                throw new InvalidBearerTokenException("the bearer token has expired");
            }
            if (message.contains("before use time")) {
                throw new InvalidBearerTokenException("the bearer token is not valid yet (nbf)");
            }
            throw new InvalidBearerTokenException("the bearer token was not issued for this service: issuer, audience "
                    + "or required claims (exp, sub, " + userClaim + ") do not match sealgate.addin.auth");
        } catch (BadJOSEException e) {
            throw new InvalidBearerTokenException(NOT_SIGNED_BY_THE_ISSUER);
        } catch (RateLimitReachedException e) {
            // the key set was fetched moments ago and has no key with this token's key id: a token from
            // another issuer (or a forged one), not an outage; refetching on every such token is what the
            // rate limit prevents
            throw new InvalidBearerTokenException(NOT_SIGNED_BY_THE_ISSUER);
        } catch (JOSEException e) {
            throw new IdentityProviderUnavailableException("could not fetch the identity provider's signing keys from "
                    + "sealgate.addin.auth.jwk-set-uri: " + e.getMessage(), e);
        }
        if (!allowedTenants.isEmpty() && !(claims.getClaim("tid") instanceof String tenant
                && allowedTenants.contains(tenant.strip().toLowerCase(Locale.ROOT)))) {
            throw new InvalidBearerTokenException("the bearer token's tenant (tid) is not one of sealgate.addin.auth.allowed-tenants");
        }
        Object mail = claims.getClaim(userClaim);
        if (!(mail instanceof String address) || !address.contains("@")) {
            throw new InvalidBearerTokenException("the bearer token's " + userClaim + " claim is not a mail address; "
                    + "set sealgate.addin.auth.user-claim to the claim that holds it");
        }
        return new AddinUser(address.strip().toLowerCase(Locale.ROOT), claims.getSubject());
    }
}
