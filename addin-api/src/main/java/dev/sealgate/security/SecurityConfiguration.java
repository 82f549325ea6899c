package dev.sealgate.security;

import dev.sealgate.admin.AdminProperties;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.web.Blocking;
import dev.sealgate.web.Problems;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.ReactiveOAuth2UserService;
import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.security.web.server.DelegatingServerAuthenticationEntryPoint;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.ui.LoginPageGeneratingWebFilter;
import org.springframework.security.web.server.util.matcher.AndServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.MediaTypeServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place that decides who may call what (docs/adr/0080). Requests whose path is not in
 * normal form never reach a matcher: the strict exchange firewall refuses them with 400. The
 * matchers are Spring's path patterns, the same path model the router uses.
 *
 * <p>The roles matrix lives in {@link #securityWebFilterChain}, nowhere else.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    static final String API_KEY_HEADER = "X-Api-Key";
    /** {@code %XX} of an unreserved character (RFC 3986 2.3): letters, digits, {@code - . _ ~}. */
    private static final Pattern ENCODED_UNRESERVED = Pattern.compile("%(?:[46][1-9a-fA-F]|[57][0-9aA]|3[0-9]|2[dDeE]|5[fF]|7[eE])");
    static final PathPattern ADMIN_API = PathPatternParser.defaultInstance.parse("/api/v1/admin/**");
    private static final String[] ADDIN_API = {"/api/v1/addin/**", "/api/v1/files/**"};
    private static final String ADMIN = AdminRole.ADMIN.name();
    private static final String OPERATOR = AdminRole.OPERATOR.name();
    private static final String AUDITOR = AdminRole.AUDITOR.name();
    /** Where a person lands after signing in when no page asked for the sign-in. */
    static final String AFTER_SIGN_IN = "/console/";

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, AddinAuthProperties addin, EventLog eventLog,
                                                  SecurityProblems problems, AdminProperties admin, ApiKeyStore apiKeys,
                                                  AuditLog audit, AdminOidcProperties oidc, Environment environment,
                                                  org.springframework.beans.factory.ObjectProvider<OidcAdminSignIn> oidcSignIn,
                                                  dev.sealgate.net.ProxyProperties proxy) {
        AddinTokenValidator validator = addin.configured() ? new AddinTokenValidator(addin, proxy.proxy()) : null;
        Set<String> ownDomains = Binder.get(environment).bind("sealgate.domains", Bindable.listOf(String.class)).orElse(List.of())
                .stream().map(d -> d.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());

        http.securityContextRepository(new WebSessionServerSecurityContextRepository())
                .authorizeExchange(exchanges -> exchanges
                        // Public: liveness for orchestrators, CA certificate and CRL, the add-in's static
                        // files and manifest, link-gated portal pages, the API description, sign-in.
                        .pathMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .pathMatchers(HttpMethod.GET, "/pki/**", "/addin/**", "/v3/api-docs", "/v3/api-docs/**").permitAll()
                        .pathMatchers("/portal/**").permitAll()
                        .pathMatchers("/login", "/logout", "/login/oauth2/code/*", "/oauth2/authorization/*").permitAll()
                        // the sign-in page's stylesheet (Spring Security's own; without it the page asked for it and got a 401)
                        .pathMatchers(HttpMethod.GET, "/default-ui.css").permitAll()
                        // Add-in and large files: a valid token of a user at an own domain.
                        .pathMatchers(ADDIN_API).hasAuthority(AddinAuthentication.ADDIN_USER)
                        // Management: numbers for every admin role, the rest (env, heapdump, ...) admin only.
                        .pathMatchers("/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/**", "/actuator/info")
                        .hasAnyRole(ADMIN, OPERATOR, AUDITOR)
                        .pathMatchers("/actuator", "/actuator/**").hasRole(ADMIN)
                        // The admin API: the roles matrix.
                        .pathMatchers(HttpMethod.GET, "/api/v1/admin/me").hasAnyRole(ADMIN, OPERATOR, AUDITOR)
                        .pathMatchers("/api/v1/admin/api-keys", "/api/v1/admin/api-keys/**").hasRole(ADMIN)
                        .pathMatchers(HttpMethod.GET, "/api/v1/admin/audit", "/api/v1/admin/audit/**").hasAnyRole(ADMIN, AUDITOR)
                        .pathMatchers(HttpMethod.POST, "/api/v1/admin/held/*/release").hasAnyRole(ADMIN, OPERATOR)
                        .pathMatchers(HttpMethod.DELETE, "/api/v1/admin/held/*").hasAnyRole(ADMIN, OPERATOR)
                        // queued mail, as postqueue/postsuper: operators run the queues
                        .pathMatchers(HttpMethod.POST, "/api/v1/admin/queues/messages/*/retry").hasAnyRole(ADMIN, OPERATOR)
                        .pathMatchers(HttpMethod.POST, "/api/v1/admin/queues/messages/*/bounce").hasAnyRole(ADMIN, OPERATOR)
                        .pathMatchers(HttpMethod.DELETE, "/api/v1/admin/queues/messages/*").hasAnyRole(ADMIN, OPERATOR)
                        // the support bundle carries the log tail and tracked messages: not for auditors
                        .pathMatchers(HttpMethod.GET, "/api/v1/admin/support-bundle").hasAnyRole(ADMIN, OPERATOR)
                        .pathMatchers(HttpMethod.GET, "/api/v1/admin/**").hasAnyRole(ADMIN, OPERATOR, AUDITOR)
                        .pathMatchers("/api/v1/admin/**").hasRole(ADMIN)
                        // The console's pages hold no data; what they show comes from the admin API above.
                        .pathMatchers(HttpMethod.GET, "/console", "/console/**").authenticated()
                        .anyExchange().denyAll())
                .addFilterAt(apiKeyFilter(admin, apiKeys, problems), SecurityWebFiltersOrder.AUTHENTICATION)
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenConverter(addinBearerTokens())
                        .jwt(jwt -> jwt
                                .jwtDecoder(new AddinJwtDecoder(validator, addin.userClaim(), eventLog))
                                .jwtAuthenticationConverter(token -> {
                                    AddinUser user = new AddinUser(token.getClaimAsString(addin.userClaim()), token.getSubject());
                                    List<SimpleGrantedAuthority> authorities = ownDomains.contains(user.domain())
                                            ? List.of(new SimpleGrantedAuthority(AddinAuthentication.ADDIN_USER)) : List.of();
                                    return Mono.just(new AddinAuthentication(user, token, authorities));
                                }))
                        .authenticationEntryPoint(problems.bearerEntryPoint(addin))
                        .authenticationFailureHandler(problems.bearerFailure(addin))
                        .accessDeniedHandler(problems.accessDenied()))
                .formLogin(form -> form.authenticationSuccessHandler(new RedirectServerAuthenticationSuccessHandler(AFTER_SIGN_IN)))
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(entryPoints(problems, addin))
                        .accessDeniedHandler(problems.accessDenied()))
                .csrf(csrf -> csrf
                        .csrfTokenRepository(CookieServerCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new ServerCsrfTokenRequestAttributeHandler())
                        .requireCsrfProtectionMatcher(SecurityConfiguration::needsCsrfProtection)
                        .accessDeniedHandler((exchange, denied) -> problems.write(exchange, HttpStatus.FORBIDDEN, "csrf",
                                "CSRF token missing or wrong", "A signed-in browser must send the XSRF-TOKEN cookie's value "
                                        + "in the X-XSRF-TOKEN header (or the _csrf form field) with every change.")))
                .headers(headers -> headers
                        .frameOptions(ServerHttpSecurity.HeaderSpec.FrameOptionsSpec::disable)
                        .writer(exchange -> exchange.getRequest().getPath().pathWithinApplication().value().startsWith("/addin/")
                                // Outlook on the web shows the task pane in a frame.
                                ? Mono.empty()
                                : new XFrameOptionsServerHttpHeadersWriter().writeHttpHeaders(exchange))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy.NO_REFERRER)))
                .addFilterAt(loginPage(oidcSignIn.getIfAvailable() != null), SecurityWebFiltersOrder.LOGIN_PAGE_GENERATING)
                .addFilterAt(org.springframework.security.web.server.ui.DefaultResourcesWebFilter.css(), SecurityWebFiltersOrder.LOGIN_PAGE_GENERATING)
                .addFilterAfter(csrfCookie(), SecurityWebFiltersOrder.CSRF)
                .addFilterAfter(new AdminAuditFilter(audit), SecurityWebFiltersOrder.EXCEPTION_TRANSLATION);
        oidcSignIn.ifAvailable(signIn -> http.oauth2Login(login -> login
                .clientRegistrationRepository(signIn.registrations())
                .authorizationRequestResolver(authorizationRequestsOffTheEventLoop(signIn.registrations()))
                .authenticationSuccessHandler(new RedirectServerAuthenticationSuccessHandler(AFTER_SIGN_IN))));
        return http.build();
    }

    /**
     * The start of an OIDC sign-in ({@code /oauth2/authorization/sealgate-admin}) makes its state, nonce and
     * PKCE verifier from {@code SecureRandom}, which reads {@code /dev/urandom} now and then: done on
     * bounded-elastic, not on the event loop that answered the request (once the provider's configuration
     * is cached, nothing else moves it off). Every other request passes this filter without a thread hop.
     */
    private static ServerOAuth2AuthorizationRequestResolver authorizationRequestsOffTheEventLoop(
            ReactiveClientRegistrationRepository registrations) {
        return new DefaultServerOAuth2AuthorizationRequestResolver(registrations) {
            @Override
            public Mono<OAuth2AuthorizationRequest> resolve(ServerWebExchange exchange, String clientRegistrationId) {
                return super.resolve(exchange, clientRegistrationId).subscribeOn(Schedulers.boundedElastic());
            }
        };
    }

    /**
     * Normal form or 400: Spring Security's strict firewall (no {@code ;}, encoded {@code / \ . %},
     * {@code //}, {@code /./}, {@code /../}, control characters), and no percent-encoded character that
     * needs no encoding ({@code %61dmin}): RFC 3986 6.2.2.2 normalises those away, so a client that
     * sends one is probing, not following a link.
     */
    @Bean
    ServerWebExchangeFirewall strictFirewall() {
        StrictServerWebExchangeFirewall strict = new StrictServerWebExchangeFirewall();
        return exchange -> ENCODED_UNRESERVED.matcher(exchange.getRequest().getPath().value()).find()
                ? Mono.error(new ServerExchangeRejectedException("the path percent-encodes a character that needs no encoding"))
                : strict.getFirewalledExchange(exchange);
    }

    @Bean
    ServerExchangeRejectedHandler firewallRejection(JsonMapper json) {
        return (exchange, rejected) -> Problems.write(exchange.getResponse(), json, HttpStatus.BAD_REQUEST, "request-rejected",
                "Request rejected", "The request is not in normal form (a path with ; // /./ /../ \\ or an encoded / \\ . %, "
                        + "a control character, or a method the service does not take): send the path as the API documents it.");
    }

    @Bean
    SecurityProblems securityProblems(JsonMapper json, EventLog eventLog, AdminProperties admin, AdminOidcProperties oidc,
                                      AdminAccounts accounts, ApiKeyStore apiKeys) {
        return new SecurityProblems(json, eventLog, admin, oidc, accounts, apiKeys);
    }

    @Bean
    ApiKeyStore apiKeyStore(DataSource dataSource, Clock clock) {
        return new ApiKeyStore(dataSource, clock);
    }

    @Bean
    AuditLog auditLog(DataSource dataSource, Clock clock) {
        return new AuditLog(dataSource, clock);
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    }

    @Bean
    AdminAccounts adminAccounts(DataSource dataSource, PasswordEncoder encoder, Clock clock) {
        return new AdminAccounts(dataSource, encoder, clock);
    }

    /** The sign-in form's accounts; Spring Security checks the Argon2id hash off the event loop. */
    @Bean
    ReactiveUserDetailsService adminUserDetails(AdminAccounts accounts) {
        return username -> Blocking.call(() -> accounts.find(username)).flatMap(found -> Mono.justOrEmpty(found))
                .map(account -> User.withUsername(account.username()).password(account.passwordHash())
                        .roles(account.role().name()).build());
    }

    @Bean
    @ConditionalOnProperty("sealgate.admin.oidc.issuer-uri")
    OidcAdminSignIn oidcAdminSignIn(AdminOidcProperties oidc, dev.sealgate.net.ProxyProperties proxy) {
        return new OidcAdminSignIn(oidc, proxy.proxy());
    }

    /** Found by type by {@code oauth2Login}: maps the roles claim of a signed-in admin. */
    @Bean
    @ConditionalOnProperty("sealgate.admin.oidc.issuer-uri")
    ReactiveOAuth2UserService<OidcUserRequest, OidcUser> oidcAdminUserService(OidcAdminSignIn signIn) {
        return signIn.userService();
    }

    @Bean
    ApplicationRunner breakGlassAccount(AdminBootstrapProperties bootstrap, AdminAccounts accounts) {
        return args -> {
            if (bootstrap.configured() && accounts.createIfAbsent(bootstrap.username().strip(), bootstrap.password(), AdminRole.ADMIN)) {
                log.info("Created the break-glass admin account '{}' from sealgate.admin.bootstrap.username", bootstrap.username().strip());
            }
        };
    }

    private static AuthenticationWebFilter apiKeyFilter(AdminProperties admin, ApiKeyStore apiKeys, SecurityProblems problems) {
        ReactiveAuthenticationManager keys = authentication -> {
            String presented = String.valueOf(authentication.getCredentials());
            if (admin.configured() && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                    admin.apiKey().getBytes(StandardCharsets.UTF_8))) {
                return Mono.just(new ApiKeyAuthentication(ApiKeyAuthentication.CONFIGURED_KEY, AdminRole.ADMIN));
            }
            return Blocking.call(() -> apiKeys.findActive(presented)).flatMap(Mono::justOrEmpty)
                    .map(key -> new ApiKeyAuthentication(key.name(), key.role()))
                    .switchIfEmpty(Mono.error(() -> new BadCredentialsException("unknown or revoked API key")))
                    .cast(org.springframework.security.core.Authentication.class);
        };
        AuthenticationWebFilter filter = new AuthenticationWebFilter(keys);
        filter.setRequiresAuthenticationMatcher(exchange -> exchange.getRequest().getHeaders().containsHeader(API_KEY_HEADER)
                ? ServerWebExchangeMatcher.MatchResult.match() : ServerWebExchangeMatcher.MatchResult.notMatch());
        filter.setServerAuthenticationConverter(exchange -> Mono.justOrEmpty(exchange.getRequest().getHeaders().getFirst(API_KEY_HEADER))
                .map(key -> new PreAuthenticatedAuthenticationToken(API_KEY_HEADER, key)));
        filter.setAuthenticationFailureHandler(problems.apiKeyFailure());
        return filter;
    }

    /** Bearer tokens count on the add-in and files APIs only; elsewhere an Authorization header is ignored. */
    private static org.springframework.security.web.server.authentication.ServerAuthenticationConverter addinBearerTokens() {
        ServerBearerTokenAuthenticationConverter bearer = new ServerBearerTokenAuthenticationConverter();
        ServerWebExchangeMatcher addinPaths = ServerWebExchangeMatchers.pathMatchers(ADDIN_API);
        return exchange -> addinPaths.matches(exchange).filter(ServerWebExchangeMatcher.MatchResult::isMatch)
                .flatMap(match -> bearer.convert(exchange));
    }

    private static DelegatingServerAuthenticationEntryPoint entryPoints(SecurityProblems problems, AddinAuthProperties addin) {
        MediaTypeServerWebExchangeMatcher html = new MediaTypeServerWebExchangeMatcher(MediaType.TEXT_HTML);
        html.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        DelegatingServerAuthenticationEntryPoint entryPoint = new DelegatingServerAuthenticationEntryPoint(
                new DelegatingServerAuthenticationEntryPoint.DelegateEntry(ServerWebExchangeMatchers.pathMatchers(ADDIN_API),
                        problems.bearerEntryPoint(addin)),
                new DelegatingServerAuthenticationEntryPoint.DelegateEntry(
                        new AndServerWebExchangeMatcher(ServerWebExchangeMatchers.pathMatchers("/console", "/console/**"), html),
                        new RedirectServerAuthenticationEntryPoint("/login")));
        entryPoint.setDefaultEntryPoint(problems.adminEntryPoint());
        return entryPoint;
    }

    /**
     * A change needs the CSRF token when the browser could have sent an ambient credential with it (any
     * cookie: the session), and always on sign-in and sign-out. API keys and bearer tokens travel in
     * headers a browser never adds on its own; the add-in and files APIs take bearer tokens only; the
     * portal's forms carry no ambient credential (the link token is in the URL, the password in the form).
     */
    private static Mono<ServerWebExchangeMatcher.MatchResult> needsCsrfProtection(ServerWebExchange exchange) {
        HttpMethod method = exchange.getRequest().getMethod();
        HttpHeaders headers = exchange.getRequest().getHeaders();
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
        boolean safe = method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS || method == HttpMethod.TRACE;
        boolean signInOrOut = path.equals("/login") || path.equals("/logout");
        boolean credentialInHeader = headers.containsHeader(API_KEY_HEADER)
                || (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7));
        boolean noAmbientCredential = exchange.getRequest().getCookies().isEmpty() || path.startsWith("/portal/")
                || path.startsWith("/api/v1/addin/") || path.startsWith("/api/v1/files/") || path.equals("/api/v1/files");
        return safe || (!signInOrOut && (credentialInHeader || noAmbientCredential))
                ? ServerWebExchangeMatcher.MatchResult.notMatch() : ServerWebExchangeMatcher.MatchResult.match();
    }

    /**
     * Spring Security's own sign-in page at {@code /login}: the form for local accounts and the link
     * to the OIDC sign-in. Added here because the chain's explicit entry points (problem details for
     * APIs) switch off the page Spring would generate by itself.
     */
    private static LoginPageGeneratingWebFilter loginPage(boolean oidc) {
        LoginPageGeneratingWebFilter page = new LoginPageGeneratingWebFilter();
        page.setFormLoginEnabled(true);
        if (oidc) {
            page.setOauth2AuthenticationUrlToClientName(Map.of("/oauth2/authorization/" + OidcAdminSignIn.REGISTRATION_ID,
                    "your organisation's sign-in"));
        }
        return page;
    }

    /** Sends the {@code XSRF-TOKEN} cookie on browser page loads, so that the console can echo it in {@code X-XSRF-TOKEN}. */
    private static WebFilter csrfCookie() {
        return (exchange, chain) -> {
            Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
            HttpHeaders headers = exchange.getRequest().getHeaders();
            boolean page = exchange.getRequest().getMethod() == HttpMethod.GET
                    && !headers.containsHeader(API_KEY_HEADER) && !headers.containsHeader(HttpHeaders.AUTHORIZATION);
            // The token is made, and its cookie added, before the rest of the chain runs. Not in beforeCommit: the
            // repository adds the cookie on a bounded-elastic thread, while the session's own commit action adds the
            // SESSION cookie on the request's thread (a first visit to the console starts a session for the page it
            // asked for): two threads wrote the response's cookie map at once, and now and then the answer was a 500
            // (ConcurrentModificationException) or lost a cookie. (The unanswered requests on kept-alive connections
            // once blamed on this filter were a Reactor Netty bug, docs/adr/0210.)
            return token == null || !page ? chain.filter(exchange) : token.then(Mono.defer(() -> chain.filter(exchange)));
        };
    }
}
