package dev.sealgate.admin;

import dev.sealgate.tracking.EventLog;
import dev.sealgate.web.Blocking;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Guards {@code /api/v1/admin/**} with the {@code X-Api-Key} header. With no key configured the admin
 * API answers 503 and says how to set one: a fresh install is never open.
 */
@Component
@Order(-100)
class AdminApiKeyFilter implements WebFilter {

    static final String HEADER = "X-Api-Key";
    private static final String PREFIX = "/api/v1/admin/";

    private final AdminProperties properties;
    private final EventLog eventLog;
    private final JsonMapper json;

    AdminApiKeyFilter(AdminProperties properties, EventLog eventLog, JsonMapper json) {
        this.properties = properties;
        this.eventLog = eventLog;
        this.json = json;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.startsWith(PREFIX)) {
            return chain.filter(exchange);
        }
        if (!properties.configured()) {
            return problem(exchange.getResponse(), HttpStatus.SERVICE_UNAVAILABLE, "Admin API not configured",
                    "The admin API is closed because no API key is set: set sealgate.admin.api-key "
                            + "(environment variable SEALGATE_ADMIN_API_KEY) and send it in the X-Api-Key header.");
        }
        String presented = exchange.getRequest().getHeaders().getFirst(HEADER);
        if (presented == null || !constantTimeEquals(presented, properties.apiKey())) {
            InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
            String client = remote == null ? "unknown" : remote.getAddress().getHostAddress();
            return Blocking.run(() -> eventLog.warning("admin-api",
                            "Rejected admin API call without a valid API key from " + client,
                            exchange.getRequest().getMethod() + " " + path))
                    .then(problem(exchange.getResponse(), HttpStatus.UNAUTHORIZED, "Invalid API key",
                            "Send the admin API key configured as sealgate.admin.api-key in the X-Api-Key header."));
        }
        return chain.filter(exchange);
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private Mono<Void> problem(ServerHttpResponse response, HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("https://sealgate.dev/problems/admin-api-key"));
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = json.writeValueAsBytes(problem);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
