package dev.sealgate.security;

import java.util.Collection;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/** An add-in caller with a valid token; {@link #ADDIN_USER} only when the user is at an own domain. */
final class AddinAuthentication extends AbstractAuthenticationToken {

    /** The authority the add-in and files APIs require. */
    static final String ADDIN_USER = "ROLE_ADDIN_USER";

    private final AddinUser user;
    private final Jwt token;

    AddinAuthentication(AddinUser user, Jwt token, Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.user = user;
        this.token = token;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public AddinUser getPrincipal() {
        return user;
    }

    @Override
    public String getName() {
        return user.mailAddress();
    }
}
