package dev.sealgate.addin;

import dev.sealgate.files.FilesController;
import dev.sealgate.files.FilesProperties;
import dev.sealgate.security.AddinAuthProperties;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Outlook add-in itself: both manifests (XML add-in-only and unified JSON) generated from the same
 * settings, the sign-in settings the add-in's scripts read, and the pages with the configured Office.js.
 * Scripts and styles are static resources under /addin/; MSAL.js is vendored under /addin/lib/ (ADR 0120).
 */
@RestController
@Hidden
class AddinResourcesController {

    private static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);
    private static final MediaType JAVASCRIPT = new MediaType("text", "javascript", StandardCharsets.UTF_8);
    /** The JavaScript-only runtime of classic Outlook loads one file: MSAL and the handler in one. */
    private static final List<String> ON_SEND_BUNDLE = List.of("static/addin/lib/msal-browser.min.js", "static/addin/i18n.js",
            "static/addin/auth.js", "static/addin/compose.js", "static/addin/onsend-handler.js");

    private final AddinProperties properties;
    private final AddinAuthProperties auth;
    private final FilesProperties files;
    private final JsonMapper json;
    private final String manifestXml = resource("addin/manifest.xml");
    private final String manifestJson = resource("addin/manifest.json");
    private final String taskpane = resource("addin/taskpane.html");
    private final String onSendPage = resource("addin/onsend.html");
    private final String authDialog = resource("addin/auth-dialog.html");
    private final String authRedirect = resource("addin/auth-redirect.html");
    private final String onSendScript = String.join("\n;\n", ON_SEND_BUNDLE.stream().map(AddinResourcesController::resource).toList());

    AddinResourcesController(AddinProperties properties, AddinAuthProperties auth, FilesProperties files, JsonMapper json) {
        this.properties = properties;
        this.auth = auth;
        this.files = files;
        this.json = json;
    }

    @GetMapping("/addin/manifest.xml")
    ResponseEntity<String> manifestXml(ServerWebExchange exchange) {
        String base = FilesController.portalBase(files, exchange.getRequest());
        String webApplicationInfo = auth.clientId() == null || auth.clientId().isBlank() ? "" : """
                <WebApplicationInfo>
                  <Id>%s</Id>
                  <Resource>%s</Resource>
                  <Scopes>
                    <Scope>openid</Scope>
                    <Scope>profile</Scope>
                  </Scopes>
                </WebApplicationInfo>""".formatted(xmlEscape(auth.clientId()), xmlEscape(applicationIdUri(base)))
                .replace("\n", "\n      ");
        String body = manifestXml.replace("${WEB_APPLICATION_INFO}", webApplicationInfo.isEmpty() ? "" : "\n      " + webApplicationInfo)
                .replace("${ADDIN_ID}", properties.id().toString())
                .replace("${VERSION}", properties.version() + ".0")
                .replace("${BASE_URL}", xmlEscape(base));
        return ResponseEntity.ok()
                .contentType(new MediaType("application", "xml", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"sealgate-manifest.xml\"")
                .body(body);
    }

    @GetMapping("/addin/manifest.json")
    ResponseEntity<String> manifestJson(ServerWebExchange exchange) {
        String base = FilesController.portalBase(files, exchange.getRequest());
        String filled = manifestJson.replace("${ADDIN_ID}", properties.id().toString())
                .replace("${VERSION}", properties.version())
                .replace("${HOST}", jsonEscape(URI.create(base).getHost()))
                .replace("${CLIENT_ID}", jsonEscape(String.valueOf(auth.clientId())))
                .replace("${RESOURCE}", jsonEscape(applicationIdUri(base)))
                .replace("${BASE_URL}", jsonEscape(base));
        ObjectNode manifest = (ObjectNode) json.readTree(filled);
        if (auth.clientId() == null || auth.clientId().isBlank()) {
            manifest.remove("webApplicationInfo");
        }
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"manifest.json\"")
                .body(json.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
    }

    /** What MSAL.js needs to sign in; public (no secret in it), read by the task pane and the on-send handler. */
    @GetMapping("/addin/config.json")
    ResponseEntity<Map<String, Object>> config(ServerWebExchange exchange) {
        String base = FilesController.portalBase(files, exchange.getRequest());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("signIn", auth.signInConfigured());
        if (auth.signInConfigured()) {
            URI authority = auth.authority();
            boolean entra = authority.toString().startsWith("https://login.microsoftonline.com/");
            config.put("clientId", auth.clientId());
            config.put("authority", authority.toString());
            config.put("protocolMode", entra ? "AAD" : "OIDC");
            config.put("knownAuthorities", entra ? List.of() : List.of(authority.getRawAuthority()));
            config.put("scope", auth.scope() == null || auth.scope().isBlank() ? applicationIdUri(base) + "/access_as_user" : auth.scope());
            config.put("redirectUri", base + "/addin/auth-redirect.html");
            config.put("dialogUrl", base + "/addin/auth-dialog.html");
            config.put("nestedRedirectUri", "brk-multihub://" + URI.create(base).getHost());
        }
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-cache").body(config);
    }

    @GetMapping("/addin/taskpane.html")
    ResponseEntity<String> taskpane() {
        return page(taskpane);
    }

    @GetMapping("/addin/onsend.html")
    ResponseEntity<String> onSendPage() {
        return page(onSendPage);
    }

    @GetMapping("/addin/auth-dialog.html")
    ResponseEntity<String> authDialog() {
        return page(authDialog);
    }

    @GetMapping("/addin/auth-redirect.html")
    ResponseEntity<String> authRedirect() {
        return page(authRedirect);
    }

    @GetMapping("/addin/onsend.js")
    ResponseEntity<String> onSendScript() {
        return ResponseEntity.ok().contentType(JAVASCRIPT).header(HttpHeaders.CACHE_CONTROL, "no-cache").body(onSendScript);
    }

    private ResponseEntity<String> page(String template) {
        URI office = properties.officeJsUrl();
        String officeOrigin = office.getScheme() + "://" + office.getRawAuthority();
        String signIn = auth.authority() == null ? "" : " " + auth.authority().getScheme() + "://" + auth.authority().getRawAuthority();
        return ResponseEntity.ok()
                .contentType(HTML)
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'self'; script-src 'self' " + officeOrigin
                        + "; connect-src 'self'" + signIn + "; frame-src 'self'" + signIn
                        + "; img-src 'self' data:; style-src 'self'; base-uri 'none'; form-action 'none'")
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .body(template.replace("${OFFICE_JS}", xmlEscape(office.toString())));
    }

    /** The application ID URI Office SSO requires: {@code api://<host of the task pane>/<client ID>}. */
    private String applicationIdUri(String base) {
        return "api://" + URI.create(base).getRawAuthority() + "/" + auth.clientId();
    }

    private static String xmlEscape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static String jsonEscape(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String resource(String path) {
        try (InputStream in = AddinResourcesController.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalStateException("add-in resource /" + path + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
