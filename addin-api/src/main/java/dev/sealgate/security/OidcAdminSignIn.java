package dev.sealgate.security;

import dev.sealgate.net.OutboundHttp;
import dev.sealgate.net.OutboundProxy;
import dev.sealgate.net.OutboundWebClient;
import dev.sealgate.web.Blocking;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcReactiveOAuth2UserService;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.DefaultReactiveOAuth2UserService;
import org.springframework.security.oauth2.client.userinfo.ReactiveOAuth2UserService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Admin sign-in through OpenID Connect ({@code sealgate.admin.oidc.*}): one client registration,
 * discovered from the issuer at the first sign-in (a gateway must start while its identity
 * provider is away), and the roles claim mapped to {@link AdminRole}s.
 */
class OidcAdminSignIn implements ReactiveClientRegistrationRepository, Iterable<ClientRegistration> {

    static final String REGISTRATION_ID = "sealgate-admin";
    private static final long MAX_DISCOVERY_BYTES = 256 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AdminOidcProperties properties;
    private final OutboundHttp http;
    private final WebClient webClient;
    private volatile ClientRegistration discovered;

    OidcAdminSignIn(AdminOidcProperties properties) {
        this(properties, Optional.empty());
    }

    /** @param proxy the outbound proxy ({@code sealgate.proxy.*}) for discovery, keys, code redemption and user info */
    OidcAdminSignIn(AdminOidcProperties properties, Optional<OutboundProxy> proxy) {
        if (!properties.configured()) {
            throw new IllegalArgumentException("sealgate.admin.oidc.issuer-uri and sealgate.admin.oidc.client-id must both be set "
                    + "for admin sign-in through OpenID Connect");
        }
        this.properties = properties;
        this.http = new OutboundHttp(new OutboundHttp.OutboundHttpSettings(OidcAdminClients.CONNECT_TIMEOUT,
                Duration.ofSeconds(30), proxy));
        this.webClient = OutboundWebClient.create(proxy, OidcAdminClients.CONNECT_TIMEOUT);
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
            ClientRegistration found = ClientRegistrations.fromOidcConfiguration(discover())
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

    /**
     * The issuer's OpenID configuration, fetched through {@link OutboundHttp} (Spring's own discovery
     * has a client of its own that knows no proxy); its {@code issuer} must be the configured one.
     */
    private Map<String, Object> discover() throws IOException {
        String issuer = properties.issuerUri();
        URI location = URI.create((issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
                + "/.well-known/openid-configuration");
        OutboundHttp.Response response = http.send(http.request(location).GET().header("Accept", "application/json").build(),
                MAX_DISCOVERY_BYTES);
        if (response.status() != 200) {
            throw new IOException("OpenID Connect discovery at " + location + " answered HTTP " + response.status()
                    + (response.status() == 407 ? " (proxy refused authentication: check sealgate.proxy.*)" : "")
                    + "; check sealgate.admin.oidc.issuer-uri");
        }
        Map<String, Object> metadata = JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() { });
        if (!issuer.equals(metadata.get("issuer"))) {
            throw new IOException("OpenID Connect discovery at " + location + " names the issuer " + metadata.get("issuer")
                    + ", not " + issuer + "; set sealgate.admin.oidc.issuer-uri to the issuer exactly");
        }
        return metadata;
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
        DefaultReactiveOAuth2UserService userInfo = new DefaultReactiveOAuth2UserService();
        userInfo.setWebClient(webClient);
        delegate.setOauth2UserService(userInfo);
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
