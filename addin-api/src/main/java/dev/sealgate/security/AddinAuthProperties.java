package dev.sealgate.security;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the add-in API authenticates its callers. Unset issuer, audience or JWKS URI: the add-in API
 * answers 503 and says which key to set (closed, never open).
 *
 * @param issuer     the {@code iss} every token must carry, e.g. {@code https://login.microsoftonline.com/<tenant>/v2.0}
 * @param audience   the {@code aud} every token must carry: the add-in's application id URI or client id
 * @param jwkSetUri  where the issuer publishes its signing keys, e.g. {@code https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys}
 * @param userClaim  the claim holding the user's mail address: {@code preferred_username} (default), {@code email} or {@code upn}
 * @param clockSkew  tolerated clock difference for {@code exp} and {@code nbf}, at most 60 s (default 60 s)
 * @param jwksCacheTtl how long fetched keys are cached before they are fetched again (default 5 min);
 *                   a token with an unknown key id triggers an earlier refresh
 * @param jwksTimeout  connect and read timeout for fetching the keys (default 5 s)
 * @param allowedTenants Entra ID tenants ({@code tid} claim) whose users may call; empty (default): the
 *                       {@code tid} claim is not checked (issuer and audience still are)
 */
@ConfigurationProperties("sealgate.addin.auth")
public record AddinAuthProperties(String issuer,
                                  String audience,
                                  URI jwkSetUri,
                                  @DefaultValue("preferred_username") String userClaim,
                                  @DefaultValue("60s") Duration clockSkew,
                                  @DefaultValue("5m") Duration jwksCacheTtl,
                                  @DefaultValue("5s") Duration jwksTimeout,
                                  @DefaultValue List<String> allowedTenants) {

    static final Set<String> USER_CLAIMS = Set.of("preferred_username", "email", "upn");

    public AddinAuthProperties {
        if (!USER_CLAIMS.contains(userClaim)) {
            throw new IllegalArgumentException("sealgate.addin.auth.user-claim must be one of " + USER_CLAIMS + ", was " + userClaim);
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("sealgate.addin.auth.clock-skew must be between 0 and 60 s, was " + clockSkew);
        }
    }

    public boolean configured() {
        return issuer != null && !issuer.isBlank() && audience != null && !audience.isBlank() && jwkSetUri != null;
    }
}
