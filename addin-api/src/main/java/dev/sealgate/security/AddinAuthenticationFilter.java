package dev.sealgate.security;

import dev.sealgate.tracking.EventLog;
import dev.sealgate.web.Blocking;
import dev.sealgate.web.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Guards {@code /api/v1/addin/**} and {@code /api/v1/files/**} with the identity provider's bearer
 * tokens. Other paths (admin, actuator, portal, PKI) are left to their own guards.
 */
@Order(-90)
public class AddinAuthenticationFilter implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger(AddinAuthenticationFilter.class);
    private static final String BEARER = "Bearer ";

    private final AddinAuthProperties properties;
    private final AddinTokenValidator validator;
    private final EventLog eventLog;
    private final JsonMapper json;

    public AddinAuthenticationFilter(AddinAuthProperties properties, AddinTokenValidator validator, EventLog eventLog, JsonMapper json) {
        this.properties = properties;
        this.validator = validator;
        this.eventLog = eventLog;
        this.json = json;
    }

    static boolean guards(String path) {
        return path.startsWith("/api/v1/addin/") || path.equals("/api/v1/addin")
                || path.startsWith("/api/v1/files/") || path.equals("/api/v1/files");
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!guards(path)) {
            return chain.filter(exchange);
        }
        if (!properties.configured() || validator == null) {
            return Problems.write(exchange.getResponse(), json, HttpStatus.SERVICE_UNAVAILABLE, "addin-auth",
                    "Add-in API not configured",
                    "The add-in API is closed because its identity provider is not configured: set "
                            + "sealgate.addin.auth.issuer, sealgate.addin.auth.audience and sealgate.addin.auth.jwk-set-uri.");
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return unauthorized(exchange, "send the identity provider's access token as Authorization: Bearer <token>");
        }
        String token = authorization.substring(BEARER.length()).strip();
        return Blocking.call(() -> validator.validate(token))
                .flatMap(user -> {
                    exchange.getAttributes().put(AddinUser.ATTRIBUTE, user);
                    return chain.filter(exchange);
                })
                .onErrorResume(InvalidBearerTokenException.class, e -> {
                    log.debug("Rejected add-in call to {}: {}", path, e.getMessage());
                    return unauthorized(exchange, e.getMessage());
                })
                .onErrorResume(IdentityProviderUnavailableException.class, e -> Blocking.run(
                                () -> eventLog.error("addin-auth", "Could not check add-in tokens: identity provider keys unavailable",
                                        e.getMessage()))
                        .then(Problems.write(exchange.getResponse(), json, HttpStatus.SERVICE_UNAVAILABLE, "addin-auth",
                                "Identity provider unavailable", e.getMessage())));
    }

    private Mono<Void> unauthorized(ServerWebExchange exchange, String detail) {
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"sealgate\", error=\"invalid_token\"");
        return Problems.write(exchange.getResponse(), json, HttpStatus.UNAUTHORIZED, "addin-auth", "Invalid bearer token", detail);
    }
}
