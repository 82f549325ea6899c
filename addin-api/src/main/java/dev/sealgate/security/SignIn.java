package dev.sealgate.security;

import java.util.List;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;

/** How an identity signed in, in the words the audit and {@code GET /api/v1/admin/me} use. */
final class SignIn {

    private SignIn() {
    }

    static String method(Authentication authentication) {
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken) {
            return "anonymous";
        }
        if (authentication instanceof ApiKeyAuthentication key) {
            return ApiKeyAuthentication.CONFIGURED_KEY.equals(key.getName()) ? "configured-api-key" : "api-key";
        }
        if (authentication instanceof OAuth2AuthenticationToken) {
            return "oidc";
        }
        if (authentication instanceof UsernamePasswordAuthenticationToken) {
            return "password";
        }
        if (authentication instanceof AddinAuthentication) {
            return "bearer";
        }
        return authentication.getClass().getSimpleName();
    }

    static String actor(Authentication authentication) {
        return authentication == null || authentication instanceof AnonymousAuthenticationToken ? "anonymous" : authentication.getName();
    }

    /** The admin roles held, lower case ({@code admin}, ...). */
    static List<String> roles(Authentication authentication) {
        return authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_"))
                .map(a -> a.substring("ROLE_".length()))
                .filter(r -> java.util.Arrays.stream(AdminRole.values()).anyMatch(role -> role.name().equals(r)))
                .map(r -> AdminRole.valueOf(r).value())
                .toList();
    }
}
