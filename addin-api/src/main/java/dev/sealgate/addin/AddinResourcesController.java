package dev.sealgate.addin;

import dev.sealgate.files.FilesController;
import dev.sealgate.files.FilesProperties;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * The Outlook add-in itself: its manifest with this service's address filled in, and the task pane
 * page with the configured Office.js. Scripts and styles are static resources under /addin/.
 */
@RestController
@Hidden
class AddinResourcesController {

    private static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);

    private final AddinProperties properties;
    private final FilesProperties files;
    private final String manifest = resource("manifest.xml");
    private final String taskpane = resource("taskpane.html");

    AddinResourcesController(AddinProperties properties, FilesProperties files) {
        this.properties = properties;
        this.files = files;
    }

    @GetMapping("/addin/manifest.xml")
    ResponseEntity<String> manifest(ServerWebExchange exchange) {
        String base = FilesController.portalBase(files, exchange.getRequest());
        return ResponseEntity.ok()
                .contentType(new MediaType("application", "xml", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"sealgate-manifest.xml\"")
                .body(manifest.replace("${BASE_URL}", xmlEscape(base)));
    }

    @GetMapping("/addin/taskpane.html")
    ResponseEntity<String> taskpane() {
        URI office = properties.officeJsUrl();
        String officeOrigin = office.getScheme() + "://" + office.getRawAuthority();
        return ResponseEntity.ok()
                .contentType(HTML)
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'self'; script-src 'self' " + officeOrigin
                        + "; connect-src 'self'; img-src 'self' data:; style-src 'self'; base-uri 'none'; form-action 'none'")
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .body(taskpane.replace("${OFFICE_JS}", xmlEscape(office.toString())));
    }

    private static String xmlEscape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static String resource(String name) {
        try (InputStream in = AddinResourcesController.class.getResourceAsStream("/addin/" + name)) {
            if (in == null) {
                throw new IllegalStateException("add-in resource /addin/" + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
