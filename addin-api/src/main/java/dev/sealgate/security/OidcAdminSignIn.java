package dev.sealgate.security;

import dev.sealgate.web.Blocking;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcReactiveOAuth2UserService;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.ReactiveOAuth2UserService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import reactor.core.publisher.Mono;

/**
 * Admin sign-in through OpenID Connect ({@code sealgate.admin.oidc.*}): one client registration,
 * discovered from the issuer at the first sign-in (a gateway must start while its identity
 * provider is away), and the roles claim mapped to {@link AdminRole}s.
 */
class OidcAdminSignIn implements ReactiveClientRegistrationRepository, Iterable<ClientRegistration> {

    static final String REGISTRATION_ID = "sealgate-admin";

    private final AdminOidcProperties properties;
    private volatile ClientRegistration discovered;

    OidcAdminSignIn(AdminOidcProperties properties) {
        if (!properties.configured()) {
            throw new IllegalArgumentException("sealgate.admin.oidc.issuer-uri and sealgate.admin.oidc.client-id must both be set "
                    + "for admin sign-in through OpenID Connect");
        }
        this.properties = properties;
    }

    ReactiveClientRegistrationRepository registrations() {
        return this;
    }

    @Override
    public Mono<ClientRegistration> findByRegistrationId(String registrationId) {
        if (!REGISTRATION_ID.equals(registrationId)) {
            return Mono.empty();
        }
        ClientRegistration registration = discovered;
        if (registration != null) {
            return Mono.just(registration);
        }
        return Blocking.call(() -> {
            ClientRegistration found = ClientRegistrations.fromIssuerLocation(properties.issuerUri())
                    .registrationId(REGISTRATION_ID)
                    .clientId(properties.clientId())
                    .clientSecret(properties.clientSecret())
                    .scope(properties.scopes())
                    .clientName("your organisation's sign-in")
                    .build();
            discovered = found;
            return found;
        });
    }

    /** The login page's link to {@code /oauth2/authorization/sealgate-admin}; the endpoints come from discovery. */
    @Override
    public Iterator<ClientRegistration> iterator() {
        ClientRegistration link = ClientRegistration.withRegistrationId(REGISTRATION_ID)
                .clientId(properties.clientId())
                .clientName("your organisation's sign-in")
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                .authorizationUri(properties.issuerUri())
                .tokenUri(properties.issuerUri())
                .build();
        return List.of(link).iterator();
    }

    ReactiveOAuth2UserService<OidcUserRequest, OidcUser> userService() {
        OidcReactiveOAuth2UserService delegate = new OidcReactiveOAuth2UserService();
        return request -> delegate.loadUser(request).map(user -> {
            String nameClaim = user.getClaims().get(properties.usernameClaim()) instanceof String ? properties.usernameClaim() : "sub";
            return new DefaultOidcUser(roles(user.getClaims().get(properties.rolesClaim())), user.getIdToken(), user.getUserInfo(), nameClaim);
        });
    }

    /** Claim values (a string or a list of them) mapped through {@code role-mapping}; unmapped values grant nothing. */
    Set<GrantedAuthority> roles(Object claim) {
        Collection<?> values = claim instanceof Collection<?> many ? many : claim == null ? List.of() : List.of(claim);
        Set<GrantedAuthority> roles = new LinkedHashSet<>();
        for (Object value : values) {
            String role = properties.roleMapping().get(String.valueOf(value));
            if (role != null) {
                roles.add(new SimpleGrantedAuthority(AdminRole.parse(role).authority()));
            }
        }
        return roles;
    }
}
