package dev.sealgate.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A caller of the admin API that sent a valid {@code X-Api-Key}: the configured key
 * ({@code sealgate.admin.api-key}, name {@value #CONFIGURED_KEY}) or a named key with its role.
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    /** The principal name of the key configured as {@code sealgate.admin.api-key}. */
    public static final String CONFIGURED_KEY = "sealgate.admin.api-key";

    private final String keyName;
    private final AdminRole role;

    public ApiKeyAuthentication(String keyName, AdminRole role) {
        super(List.of(new SimpleGrantedAuthority(role.authority())));
        this.keyName = keyName;
        this.role = role;
        setAuthenticated(true);
    }

    public AdminRole role() {
        return role;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return keyName;
    }

    @Override
    public String getName() {
        return keyName;
    }
}
