package dev.sealgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.certs.TestPki;
import dev.sealgate.testkit.TestIdentityProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping;

/**
 * The outsider's test of the HTTP boundary. The routes come from the running application's own
 * handler mappings (controllers and every Actuator endpoint, all exposed here), so a new endpoint is
 * covered without anyone listing it. Every protected route gets every path trick, over a raw socket
 * (no client normalises the path on the way), without credentials, with a wrong key, with each
 * non-admin role and with add-in tokens: nothing opens. The normal path then works for exactly the
 * roles the matrix of issue 8 names.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoints.web.exposure.include=*", "server.forward-headers-strategy=framework"})
class HttpBoundaryTest {

    private static final String ADMIN_KEY = "boundary-admin-key-0123456789";
    private static final TestIdentityProvider idp = new TestIdentityProvider();
    /** Routes anybody may call; everything else must refuse an anonymous caller. */
    private static final List<String> PUBLIC = List.of("/actuator/health", "/pki/", "/addin/", "/portal/", "/v3/api-docs", "/login");
    /** What a path variable is filled with; its case is the caller's business, not a trick. */
    private static final String VARIABLE = "x1";
    private static final Set<Integer> REFUSED = Set.of(400, 401, 403, 404, 405);
    private static String operatorKey;
    private static String auditorKey;

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.admin.api-key", () -> ADMIN_KEY);
        registry.add("sealgate.domains", () -> "example.org");
        idp.register(registry);
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    ApiKeyStore apiKeys;

    @BeforeEach
    void keys() {
        if (operatorKey == null) {
            operatorKey = apiKeys.create("boundary operator", AdminRole.OPERATOR, "test").secret();
            auditorKey = apiKeys.create("boundary auditor", AdminRole.AUDITOR, "test").secret();
        }
    }

    record Route(String method, String path) {
    }

    record Caller(String name, String header, AdminRole role, boolean addinUser) {
    }

    private List<Caller> callers() {
        return List.of(
                new Caller("nobody", null, null, false),
                new Caller("wrong key", "X-Api-Key: sgk_wrong-guess-0123456789", null, false),
                new Caller("operator", "X-Api-Key: " + operatorKey, AdminRole.OPERATOR, false),
                new Caller("auditor", "X-Api-Key: " + auditorKey, AdminRole.AUDITOR, false),
                new Caller("add-in user", "Authorization: Bearer " + idp.token("alice@example.org"), null, true),
                new Caller("foreign add-in user", "Authorization: Bearer " + idp.token("mallory@evil.example"), null, false),
                new Caller("forged token", "Authorization: Bearer " + idp.token("alice@example.org", c -> c.issuer("https://evil.example")), null, false));
    }

    @Test
    void shouldFindTheRoutesOfEveryKindInTheApplication() {
        List<Route> routes = protectedRoutes();
        assertThat(routes).extracting(Route::path)
                .contains("/api/v1/admin/certificates", "/api/v1/admin/policies/x1", "/api/v1/admin/events",
                        "/api/v1/admin/api-keys", "/api/v1/admin/audit", "/api/v1/addin/settings", "/api/v1/files",
                        "/actuator/env", "/actuator/threaddump", "/actuator/configprops", "/actuator/loggers/x1", "/actuator/prometheus");
    }

    @Test
    void shouldOpenNoProtectedRouteUnderAnySpellingForAnyCaller() {
        List<String> opened = new ArrayList<>();
        List<Caller> callers = callers();
        for (Route route : protectedRoutes()) {
            for (String trick : tricks(route.path())) {
                for (Caller caller : callers) {
                    int status = call(route.method(), trick, caller.header());
                    if (!REFUSED.contains(status)) {
                        opened.add(status + " " + route.method() + " " + trick + " as " + caller.name());
                    }
                }
            }
        }
        assertThat(opened).as("requests with a path trick that were not refused").isEmpty();
    }

    @Test
    void shouldServeTheNormalPathToExactlyTheRolesTheMatrixNames() {
        List<String> wrong = new ArrayList<>();
        for (Route route : protectedRoutes()) {
            for (Caller caller : callers()) {
                int status = call(route.method(), route.path(), caller.header());
                boolean allowed = allowed(caller, route);
                boolean refused = status == 401 || status == 403;
                if (status >= 500 || allowed == refused || status < 200) {
                    wrong.add(status + " " + route.method() + " " + route.path() + " as " + caller.name()
                            + (allowed ? " (allowed by the matrix)" : " (not allowed by the matrix)"));
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void shouldNotInstallAnAttackersTrustAnchorThroughASemicolon() {
        String attackerRoot = TestPki.pem(TestPki.create("Attacker Root CA").caCertificate());
        String body = "{\"content\":\"" + attackerRoot.replace("\n", "\\n") + "\",\"kind\":\"ANCHOR\"}";
        for (String path : List.of("/api/v1/admin;/certificates", "/api/v1/admin;x/certificates", "/api/v1;/admin/certificates",
                "/api/v1/admin/certificates;", "/api/v1/%61dmin/certificates", "/api/v1/admin/./certificates")) {
            assertThat(call("POST", path, null, body)).as(path).isEqualTo(400);
        }
        assertThat(get("/api/v1/admin/certificates?kind=ANCHOR", "X-Api-Key: " + ADMIN_KEY)).doesNotContain("Attacker Root CA");
    }

    @Test
    void shouldNotChangeTheGlobalPolicyThroughASemicolon() {
        String before = get("/api/v1/admin/policies/global", "X-Api-Key: " + ADMIN_KEY);
        String body = "{\"outboundEncryption\":\"NEVER\",\"outboundSigning\":\"NEVER\"}";
        for (String path : List.of("/api/v1/admin;x/policies/global", "/api/v1/admin;/policies/global", "/api/v1;x/admin/policies/global")) {
            assertThat(call("PUT", path, null, body)).as(path).isEqualTo(400);
        }
        assertThat(call("PUT", "/api/v1/admin/policies/global", "X-Api-Key: " + auditorKey, body)).isEqualTo(403);
        assertThat(call("PUT", "/api/v1/admin/policies/global", "X-Api-Key: " + operatorKey, body)).isEqualTo(403);
        assertThat(get("/api/v1/admin/policies/global", "X-Api-Key: " + ADMIN_KEY)).isEqualTo(before);
    }

    @Test
    void shouldRefuseTheIssuesProbesBeforeRoutingWithAProblemDetail() {
        for (String path : List.of("/api/v1/admin;/tracking", "/api/v1;x/admin/events", "/api/v1/%61dmin/queues", "/api/v1/addin;/settings",
                "/api/v1/admin/events%2f", "/api/v1/admin/%2e%2e/admin/events", "/api/v1/admin//events", "/api/v1/admin/%2561/events")) {
            String response = raw("GET", path, null, null);
            assertThat(status(response)).as(path).isEqualTo(400);
            assertThat(response).as(path).contains("application/problem+json").contains("not in normal form")
                    .doesNotContain("Exception").doesNotContain("at org.");
        }
    }

    @Test
    void shouldSendStrictTransportSecurityOnlyWhenTheProxySaysHttps() {
        String direct = raw("GET", "/actuator/health", null, null);
        String proxied = raw("GET", "/actuator/health", "X-Forwarded-Proto: https", null);
        assertThat(direct.toLowerCase(Locale.ROOT)).doesNotContain("strict-transport-security");
        assertThat(proxied.toLowerCase(Locale.ROOT)).contains("strict-transport-security: max-age=");
    }

    @Test
    void shouldKeepThePortalsOwnHeadersAndAddTheChainsEverywhere() {
        String portal = raw("GET", "/portal/d/unknown-token", null, null).toLowerCase(Locale.ROOT);
        assertThat(portal).contains("content-security-policy: default-src 'none'").contains("x-frame-options: deny")
                .contains("referrer-policy: no-referrer").contains("x-content-type-options: nosniff");
        String api = raw("GET", "/api/v1/admin/events", "X-Api-Key: " + auditorKey, null).toLowerCase(Locale.ROOT);
        assertThat(api).contains("x-content-type-options: nosniff").contains("x-frame-options: deny").contains("referrer-policy: no-referrer");
        String taskpane = raw("GET", "/addin/taskpane.html", null, null).toLowerCase(Locale.ROOT);
        assertThat(taskpane).as("Outlook on the web frames the task pane").doesNotContain("x-frame-options")
                .contains("content-security-policy: default-src 'self'");
    }

    private boolean allowed(Caller caller, Route route) {
        String path = route.path();
        boolean read = route.method().equals("GET");
        if (path.startsWith("/api/v1/addin") || path.startsWith("/api/v1/files")) {
            return caller.addinUser();
        }
        AdminRole role = caller.role();
        if (role == null) {
            return false;
        }
        if (path.startsWith("/actuator")) {
            return path.equals("/actuator/prometheus") || path.startsWith("/actuator/metrics") || path.equals("/actuator/info");
        }
        if (path.startsWith("/api/v1/admin/api-keys")) {
            return false;
        }
        if (path.startsWith("/api/v1/admin/audit")) {
            return read && role == AdminRole.AUDITOR;
        }
        if ((path.startsWith("/api/v1/admin/held/") || path.startsWith("/api/v1/admin/queues/messages/")) && !read) {
            return role == AdminRole.OPERATOR;
        }
        if (path.equals("/api/v1/admin/support-bundle")) {
            return role == AdminRole.OPERATOR;
        }
        return read;
    }

    /** Every route of every request-mapping handler mapping (controllers, Actuator), path variables filled in. */
    private List<Route> protectedRoutes() {
        Set<Route> routes = new LinkedHashSet<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            mapping.getHandlerMethods().keySet().forEach(info -> {
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (String pattern : info.getPatternsCondition().getPatterns().stream().map(Object::toString).toList()) {
                    String path = pattern.replaceAll("\\{\\*?[^}]+}", VARIABLE);
                    if (PUBLIC.stream().anyMatch(path::startsWith)) {
                        continue;
                    }
                    for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET, RequestMethod.POST) : methods) {
                        routes.add(new Route(method.name(), path));
                    }
                }
            });
        }
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort((a, b) -> (a.path() + a.method()).compareTo(b.path() + b.method()));
        return sorted;
    }

    /** The spellings of {@code path} an attacker tries, each a different string from the path itself. */
    static Set<String> tricks(String path) {
        List<String> segments = List.of(path.substring(1).split("/"));
        Set<String> tricks = new TreeSet<>();
        for (int i = 0; i < segments.size(); i++) {
            tricks.add(join(segments, i, segments.get(i) + ";"));
            tricks.add(join(segments, i, segments.get(i) + ";x"));
            tricks.add(join(segments, i, segments.get(i) + ";jsessionid=x"));
            tricks.add(join(segments, i, encodeFirst(segments.get(i), "%")));
            tricks.add(join(segments, i, encodeFirst(segments.get(i), "%25")));
            if (!segments.get(i).equals(VARIABLE)) {
                tricks.add(join(segments, i, capitalise(segments.get(i))));
            }
            tricks.add(join(segments, i, segments.get(i) + "/"));
            tricks.add(join(segments, i, segments.get(i) + "/."));
            tricks.add(join(segments, i, "x/../" + segments.get(i)));
            tricks.add(join(segments, i, "./" + segments.get(i)));
            tricks.add(join(segments, i, "%2e/" + segments.get(i)));
            tricks.add(join(segments, i, "x/%2e%2e/" + segments.get(i)));
            tricks.add(join(segments, i, segments.get(i) + "%00"));
            if (i > 0) {
                for (String slash : List.of("%2f", "%2F", "%5c", "%5C", "\\", "//", "%252f")) {
                    tricks.add(joinWith(segments, i, slash));
                }
            }
        }
        tricks.add("/" + path);
        tricks.add(path.toUpperCase(Locale.ROOT));
        tricks.add(path + "/");
        tricks.add(path + "/;");
        tricks.remove(path);
        return tricks;
    }

    private static String join(List<String> segments, int index, String replacement) {
        List<String> copy = new ArrayList<>(segments);
        copy.set(index, replacement);
        return "/" + String.join("/", copy);
    }

    /** The path with the separator before segment {@code index} replaced by {@code separator}. */
    private static String joinWith(List<String> segments, int index, String separator) {
        return "/" + String.join("/", segments.subList(0, index)) + separator + String.join("/", segments.subList(index, segments.size()));
    }

    private static String encodeFirst(String segment, String percent) {
        return segment.isEmpty() ? segment : String.format("%s%02x%s", percent, (int) segment.charAt(0), segment.substring(1));
    }

    private static String capitalise(String segment) {
        return segment.isEmpty() ? segment : Character.toUpperCase(segment.charAt(0)) + segment.substring(1);
    }

    private int call(String method, String path, String header) {
        return call(method, path, header, method.equals("GET") || method.equals("DELETE") ? null : "{}");
    }

    private int call(String method, String path, String header, String body) {
        return status(raw(method, path, header, body));
    }

    private String get(String path, String header) {
        String response = raw("GET", path, header, null);
        assertThat(status(response)).as(path).isEqualTo(200);
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    /**
     * The whole answer. A server that answers before reading the body and closes may reset the
     * connection after its answer; what arrived before the reset counts.
     */
    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                response.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            if (response.size() < 12) {
                throw e;
            }
        }
        return response.toString(StandardCharsets.UTF_8);
    }

    private static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    /** One HTTP/1.1 request exactly as written: the path goes on the wire unchanged. */
    private String raw(String method, String path, String header, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost:").append(port).append("\r\n")
                .append("Accept: application/json\r\nConnection: close\r\n");
        if (header != null) {
            request.append(header).append("\r\n");
        }
        if (body != null) {
            request.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            return readUntilClosed(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        }
    }
}
