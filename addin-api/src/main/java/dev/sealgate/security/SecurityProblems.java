package dev.sealgate.security;

import dev.sealgate.admin.AdminProperties;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.web.Blocking;
import dev.sealgate.web.Problems;
import java.net.InetSocketAddress;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chain's refusals as RFC 9457 problem details: which credential to send and where to set it,
 * never a stack trace, a token or a key.
 */
class SecurityProblems {

    private final JsonMapper json;
    private final EventLog eventLog;
    private final AdminProperties admin;
    private final AdminOidcProperties oidc;
    private final AdminAccounts accounts;
    private final ApiKeyStore apiKeys;

    SecurityProblems(JsonMapper json, EventLog eventLog, AdminProperties admin, AdminOidcProperties oidc,
                     AdminAccounts accounts, ApiKeyStore apiKeys) {
        this.json = json;
        this.eventLog = eventLog;
        this.admin = admin;
        this.oidc = oidc;
        this.accounts = accounts;
        this.apiKeys = apiKeys;
    }

    /** No credentials on a protected route of the admin API, Actuator or anything else. */
    ServerAuthenticationEntryPoint adminEntryPoint() {
        return (exchange, e) -> adminClosed().flatMap(closed -> closed
                ? closed(exchange)
                : write(exchange, HttpStatus.UNAUTHORIZED, "admin-auth", "Authentication required",
                "Send an admin API key (sealgate.admin.api-key or a named key) in the X-Api-Key header, "
                        + "or sign in at /login."));
    }

    /** A wrong or revoked {@code X-Api-Key}: an event (without the key), then 401. */
    ServerAuthenticationFailureHandler apiKeyFailure() {
        return (filterExchange, e) -> {
            ServerWebExchange exchange = filterExchange.getExchange();
            String call = exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value();
            return adminClosed().flatMap(closed -> closed
                    ? closed(exchange)
                    : Blocking.run(() -> eventLog.warning("admin-api",
                                    "Rejected admin API call without a valid API key from " + client(exchange), call))
                            .then(write(exchange, HttpStatus.UNAUTHORIZED, "admin-api-key", "Invalid API key",
                                    "The X-Api-Key is not sealgate.admin.api-key nor an active named key: send a valid "
                                            + "key in the X-Api-Key header.")));
        };
    }

    /** No or a bad bearer token on the add-in or files API. */
    ServerAuthenticationEntryPoint bearerEntryPoint(AddinAuthProperties properties) {
        return (exchange, e) -> {
            if (!properties.configured()) {
                return write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "addin-auth", "Add-in API not configured",
                        AddinJwtDecoder.NOT_CONFIGURED);
            }
            boolean noToken = !(e instanceof org.springframework.security.oauth2.server.resource.InvalidBearerTokenException);
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"sealgate\", error=\"invalid_token\"");
            return write(exchange, HttpStatus.UNAUTHORIZED, "addin-auth", "Invalid bearer token", noToken
                    ? "send the identity provider's access token as Authorization: Bearer <token>"
                    : e.getMessage());
        };
    }

    /** A bad token is 401; keys that cannot be fetched or no issuer configured is 503 (try again later). */
    ServerAuthenticationFailureHandler bearerFailure(AddinAuthProperties properties) {
        ServerAuthenticationEntryPoint entryPoint = bearerEntryPoint(properties);
        return (filterExchange, e) -> {
            ServerWebExchange exchange = filterExchange.getExchange();
            if (e instanceof AuthenticationServiceException) {
                return properties.configured()
                        ? write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "addin-auth", "Identity provider unavailable",
                        "could not fetch the identity provider's signing keys from sealgate.addin.auth.jwk-set-uri; try again later")
                        : entryPoint.commence(exchange, e);
            }
            return entryPoint.commence(exchange, e);
        };
    }

    /** Signed in, but the role (or the add-in user's domain) does not allow this route. */
    ServerAccessDeniedHandler accessDenied() {
        return (exchange, e) -> exchange.getPrincipal().map(principal -> principal instanceof AddinAuthentication addin
                        ? "The add-in API serves users of the own domains (sealgate.domains) only; "
                        + addin.getPrincipal().mailAddress() + " is not at one of them."
                        : "The role of " + principal.getName() + " does not allow " + exchange.getRequest().getMethod()
                        + " " + exchange.getRequest().getPath().value() + " (see GET /api/v1/admin/me for your roles).")
                .defaultIfEmpty("This route needs a signed-in identity with another role.")
                .flatMap(detail -> write(exchange, HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail));
    }

    private Mono<Boolean> adminClosed() {
        if (admin.configured() || oidc.configured()) {
            return Mono.just(false);
        }
        return Blocking.call(() -> !accounts.any() && !apiKeys.anyActive());
    }

    private Mono<Void> closed(ServerWebExchange exchange) {
        return write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "admin-api-key", "Admin API not configured",
                "The admin API is closed because no API key is set: set sealgate.admin.api-key "
                        + "(environment variable SEALGATE_ADMIN_API_KEY) and send it in the X-Api-Key header, or configure "
                        + "sealgate.admin.oidc.* or sealgate.admin.bootstrap.* to sign in at /login.");
    }

    Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String type, String title, String detail) {
        return Problems.write(exchange.getResponse(), json, status, type, title, detail);
    }

    static String client(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        if (remote == null) {
            return "unknown";
        }
        // From X-Forwarded-For (server.forward-headers-strategy=framework) the address is unresolved.
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }
}
