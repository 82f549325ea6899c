package dev.sealgate.files;

import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Hidden;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The pages recipients reach through a link: download (with password prompt) and reply upload.
 * Unknown, expired, revoked and used-up links all get the same page with status 404.
 */
@RestController
@Hidden
class PortalController {

    static final String CSP_HEADER = "Content-Security-Policy";
    static final String PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    static final String DOWNLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'";
    private static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);

    private final LargeFiles files;
    private final PortalGuard guard;
    private final FilesProperties properties;

    PortalController(LargeFiles files, PortalGuard guard, FilesProperties properties) {
        this.files = files;
        this.guard = guard;
        this.properties = properties;
    }

    @GetMapping("/portal/d/{token}")
    Mono<ResponseEntity<String>> downloadPage(@PathVariable String token, ServerWebExchange exchange) {
        Locale locale = locale(exchange);
        if (!guard.allowAccess(client(exchange))) {
            return Mono.just(page(HttpStatus.TOO_MANY_REQUESTS, PortalPages.tooManyAttempts(locale)));
        }
        return Blocking.call(() -> files.usableLink(token)
                .map(link -> page(HttpStatus.OK, PortalPages.download(locale, link, false)))
                .orElseGet(() -> page(HttpStatus.NOT_FOUND, PortalPages.unavailable(locale))));
    }

    @PostMapping(path = "/portal/d/{token}", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    Mono<Void> download(@PathVariable String token, ServerWebExchange exchange) {
        Locale locale = locale(exchange);
        String client = client(exchange);
        ServerHttpResponse response = exchange.getResponse();
        if (!guard.allowAccess(client)) {
            return write(response, HttpStatus.TOO_MANY_REQUESTS, PortalPages.tooManyAttempts(locale));
        }
        return exchange.getFormData()
                .flatMap(form -> Blocking.call(() -> files.authorise(token, form.getFirst("password"), client)))
                .flatMap(access -> respond(response, locale, access));
    }

    @GetMapping("/portal/r/{token}")
    Mono<ResponseEntity<String>> replyPage(@PathVariable String token, ServerWebExchange exchange) {
        Locale locale = locale(exchange);
        if (!guard.allowAccess(client(exchange))) {
            return Mono.just(page(HttpStatus.TOO_MANY_REQUESTS, PortalPages.tooManyAttempts(locale)));
        }
        return Blocking.call(() -> files.usableReplyLink(token)
                .map(link -> page(HttpStatus.OK, PortalPages.reply(locale, link.owner())))
                .orElseGet(() -> page(HttpStatus.NOT_FOUND, PortalPages.unavailable(locale))));
    }

    @PostMapping("/portal/r/{token}/files")
    Mono<ResponseEntity<Map<String, Object>>> replyUpload(@PathVariable String token, @RequestParam String name,
                                                          ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        String client = client(exchange);
        if (!guard.allowAccess(client)) {
            return Mono.just(ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body(Map.of("error", "too many requests")));
        }
        long declared = request.getHeaders().getContentLength();
        if (declared > properties.maxFileSize().toBytes()) {
            return Mono.just(ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
                    .body(Map.of("error", new FileTooLargeException(properties.maxFileSize().toBytes()).getMessage())));
        }
        return files.replyUpload(token, request.getBody(), name, client, FilesController.portalBase(properties, request))
                .map(created -> ResponseEntity.ok(Map.<String, Object>of("name", created.name(), "size", created.size(),
                        "sha256", created.sha256())))
                .switchIfEmpty(Mono.fromSupplier(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                        .body(Map.of("error", "this link is not available"))))
                .onErrorResume(FileTooLargeException.class, e -> Mono.just(ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
                        .body(Map.of("error", e.getMessage()))));
    }

    private Mono<Void> respond(ServerHttpResponse response, Locale locale, LargeFiles.Access access) {
        if (access instanceof LargeFiles.Access.Granted granted) {
            return stream(response, granted.link());
        }
        if (access instanceof LargeFiles.Access.PasswordRequired required) {
            return write(response, HttpStatus.OK, PortalPages.download(locale, required.link(), false));
        }
        if (access instanceof LargeFiles.Access.WrongPassword wrong) {
            return write(response, HttpStatus.FORBIDDEN, PortalPages.download(locale, wrong.link(), true));
        }
        if (access instanceof LargeFiles.Access.TooManyAttempts) {
            return write(response, HttpStatus.TOO_MANY_REQUESTS, PortalPages.tooManyAttempts(locale));
        }
        return write(response, HttpStatus.NOT_FOUND, PortalPages.unavailable(locale));
    }

    private Mono<Void> stream(ServerHttpResponse response, FileRepository.LinkRecord link) {
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.APPLICATION_OCTET_STREAM);
        headers.setContentLength(link.file().size());
        headers.setContentDisposition(ContentDisposition.attachment().filename(link.file().name(), StandardCharsets.UTF_8).build());
        headers.set(CSP_HEADER, DOWNLOAD_CSP);
        securityHeaders(headers);
        return response.writeWith(DataBufferUtils.readInputStream(() -> files.open(link.file()), response.bufferFactory(), 64 * 1024)
                .subscribeOn(Schedulers.boundedElastic()));
    }

    private static Mono<Void> write(ServerHttpResponse response, HttpStatus status, String html) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(HTML);
        response.getHeaders().set(CSP_HEADER, PAGE_CSP);
        securityHeaders(response.getHeaders());
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)));
    }

    private static ResponseEntity<String> page(HttpStatus status, String html) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(HTML);
        headers.set(CSP_HEADER, PAGE_CSP);
        securityHeaders(headers);
        return new ResponseEntity<>(html, headers, status);
    }

    static void securityHeaders(HttpHeaders headers) {
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        // The token is in the URL: no Referer may carry it to another site.
        headers.set("Referrer-Policy", "no-referrer");
        headers.setCacheControl("no-store");
    }

    private static Locale locale(ServerWebExchange exchange) {
        return PortalText.choose(exchange.getRequest().getHeaders().getFirst(HttpHeaders.ACCEPT_LANGUAGE));
    }

    static String client(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }
}
