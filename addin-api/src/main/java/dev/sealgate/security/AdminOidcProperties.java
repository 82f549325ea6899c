package dev.sealgate.security;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Admin sign-in for people through OpenID Connect ({@code sealgate.admin.oidc.*}). Unset issuer or
 * client id: no OIDC sign-in (API keys and the local account still work).
 *
 * @param issuerUri     the issuer, e.g. {@code https://login.microsoftonline.com/<tenant>/v2.0}; its
 *                      discovery document is read at the first sign-in
 * @param clientId      the client (application) id registered at the issuer
 * @param clientSecret  the client secret; never logged
 * @param scopes        scopes asked for (default {@code openid, profile, email})
 * @param usernameClaim the claim shown as the admin's name and written to the audit (default {@code preferred_username})
 * @param rolesClaim    the claim holding the user's groups or app roles (default {@code roles}); a string or a list
 * @param roleMapping   claim value to role ({@code admin}, {@code operator}, {@code auditor}), e.g.
 *                      {@code sealgate.admin.oidc.role-mapping.SealgateAdmins=admin}; a user with no mapped
 *                      value is signed in but may call nothing
 */
@ConfigurationProperties("sealgate.admin.oidc")
public record AdminOidcProperties(String issuerUri,
                                  String clientId,
                                  String clientSecret,
                                  @DefaultValue({"openid", "profile", "email"}) List<String> scopes,
                                  @DefaultValue("preferred_username") String usernameClaim,
                                  @DefaultValue("roles") String rolesClaim,
                                  @DefaultValue Map<String, String> roleMapping) {

    public AdminOidcProperties {
        roleMapping.values().forEach(AdminRole::parse);
    }

    public boolean configured() {
        return issuerUri != null && !issuerUri.isBlank() && clientId != null && !clientId.isBlank();
    }

    @Override
    public String toString() {
        return "AdminOidcProperties[issuerUri=" + issuerUri + ", clientId=" + clientId + ", clientSecret="
                + (clientSecret == null || clientSecret.isEmpty() ? "(not set)" : "(set)") + ", rolesClaim=" + rolesClaim
                + ", roleMapping=" + roleMapping + "]";
    }
}
