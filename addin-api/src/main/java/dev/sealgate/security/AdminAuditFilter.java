package dev.sealgate.security;

import dev.sealgate.web.Blocking;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.ErrorResponse;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import reactor.core.publisher.Mono;

/**
 * Writes an audit record for every change tried through the admin API: who, how signed in, what
 * (method, route, target id), from where, and how it ended, including refusals by the
 * authorisation rules. Sits in the security chain between exception translation and
 * authorisation, so it sees both the refusal and the controller's answer. It decides nothing.
 */
class AdminAuditFilter implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger(AdminAuditFilter.class);
    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final AuditLog audit;

    AdminAuditFilter(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (READS.contains(exchange.getRequest().getMethod()) || !SecurityConfiguration.ADMIN_API.matches(
                org.springframework.http.server.PathContainer.parsePath(path))) {
            return chain.filter(exchange);
        }
        return ReactiveSecurityContextHolder.getContext().map(SecurityContext::getAuthentication)
                .map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty())
                .flatMap(authentication -> chain.filter(exchange)
                        .then(Mono.defer(() -> record(exchange, authentication.orElse(null), null)))
                        .onErrorResume(e -> record(exchange, authentication.orElse(null), e).then(Mono.error(e))));
    }

    private Mono<Void> record(ServerWebExchange exchange, Authentication authentication, Throwable error) {
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        int code;
        if (error == null) {
            code = status == null ? 200 : status.value();
        } else if (error instanceof AccessDeniedException) {
            code = 403;
        } else if (error instanceof ErrorResponse response) {
            code = response.getStatusCode().value();
        } else {
            code = 500;
        }
        String outcome = code < 400 ? "success" : code == 401 || code == 403 ? "denied" : "failed";
        PathPattern pattern = exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        Map<String, String> variables = exchange.getAttributeOrDefault(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, Map.of());
        String route = pattern != null ? pattern.getPatternString() : exchange.getRequest().getPath().pathWithinApplication().value();
        String target = variables.isEmpty() ? null : String.join(",", variables.values());
        return Blocking.run(() -> audit.record(SignIn.actor(authentication), SignIn.method(authentication),
                        exchange.getRequest().getMethod().name(), route, target, SecurityProblems.client(exchange), outcome, code))
                .onErrorResume(e -> {
                    log.error("Could not write the admin audit record for {} {}: {}", exchange.getRequest().getMethod(), route, e.toString());
                    return Mono.empty();
                });
    }
}
