package dev.sealgate.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The admin console's page ({@code /console/}); its scripts and styles are static resources under
 * {@code /console/}. The page holds no data: everything comes from the admin API with the signed-in
 * session, so this page itself needs no protection beyond strict headers (ADR 0130).
 */
@RestController
class ConsoleController {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
            + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

    private final String page = resource();

    /**
     * {@code /console} (no slash) leads to the console. A router function rather than a second
     * controller route: the page has exactly one address, so no other spelling of it is served.
     */
    @Bean
    static RouterFunction<ServerResponse> consoleWithoutSlash() {
        return RouterFunctions.route(RequestPredicates.GET("/console"),
                request -> ServerResponse.status(HttpStatus.FOUND).location(URI.create("/console/")).build());
    }

    @GetMapping("/console/")
    ResponseEntity<String> console() {
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "html", StandardCharsets.UTF_8))
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Frame-Options", "DENY")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(page);
    }

    private static String resource() {
        try (InputStream in = ConsoleController.class.getResourceAsStream("/static/console/index.html")) {
            if (in == null) {
                throw new IllegalStateException("console page /static/console/index.html is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
