package dev.sealgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.testkit.Browser;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * People sign in to the admin API: through a real OpenID Connect provider (mock-oauth2-server,
 * started here, driven through the authorization code flow by a real HTTP client with cookies), and
 * through the form with the break-glass account. Sessions carry the role; changes need the CSRF token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class AdminSignInTest {

    private static final String ISSUER_ID = "corp-idp";
    private static final String CLIENT_ID = "sealgate-console";
    private static final String BREAK_GLASS_PASSWORD = "Break-Glass-Secret-4711";
    private static final MockOAuth2Server idp = new MockOAuth2Server();

    static {
        idp.start();
    }

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.admin.oidc.issuer-uri", () -> idp.issuerUrl(ISSUER_ID).toString());
        registry.add("sealgate.admin.oidc.client-id", () -> CLIENT_ID);
        registry.add("sealgate.admin.oidc.client-secret", () -> "oidc-client-secret-0815");
        registry.add("sealgate.admin.oidc.role-mapping[sealgate-auditors]", () -> "auditor");
        registry.add("sealgate.admin.oidc.role-mapping[sealgate-admins]", () -> "admin");
        registry.add("sealgate.admin.bootstrap.username", () -> "breakglass");
        registry.add("sealgate.admin.bootstrap.password", () -> BREAK_GLASS_PASSWORD);
    }

    @AfterAll
    static void stop() {
        idp.shutdown();
    }

    @LocalServerPort
    int port;

    @Autowired
    javax.sql.DataSource dataSource;

    private Browser signInThroughOidc(String user, String group) {
        idp.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "sub-" + user, "JWT", List.of(CLIENT_ID),
                Map.of("preferred_username", user, "roles", List.of(group, "unrelated-group")), 3600));
        Browser browser = new Browser(port);
        HttpResponse<String> landed = browser.get("/oauth2/authorization/" + OidcAdminSignIn.REGISTRATION_ID);
        assertThat(landed.uri().getPath()).as("after the code flow the browser lands on the console").isEqualTo("/console/");
        return browser;
    }

    private Browser signInWithPassword(String username, String password) {
        Browser browser = new Browser(port);
        HttpResponse<String> page = browser.get("/login");
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
        assertThat(csrf.find()).as("the sign-in form carries a CSRF token").isTrue();
        browser.post("/login", "application/x-www-form-urlencoded", "username=" + enc(username) + "&password=" + enc(password)
                + "&_csrf=" + enc(csrf.group(1)));
        return browser;
    }

    @Test
    void shouldSignInAnAuditorThroughOidcAndLimitWhatTheSessionMayDo() {
        Browser auditor = signInThroughOidc("ann.auditor@example.org", "sealgate-auditors");

        HttpResponse<String> me = auditor.get("/api/v1/admin/me");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"name\":\"ann.auditor@example.org\"").contains("\"roles\":[\"auditor\"]")
                .contains("\"signIn\":\"oidc\"");
        assertThat(auditor.get("/api/v1/admin/events").statusCode()).isEqualTo(200);
        assertThat(auditor.get("/api/v1/admin/audit").statusCode()).isEqualTo(200);
        assertThat(auditor.get("/api/v1/admin/api-keys").statusCode()).isEqualTo(403);
        HttpResponse<String> change = auditor.post("/api/v1/admin/api-keys", "application/json", "{\"name\":\"x\",\"role\":\"admin\"}",
                "X-XSRF-TOKEN", auditor.xsrfToken());
        assertThat(change.statusCode()).isEqualTo(403);
        assertThat(change.body()).contains("ann.auditor@example.org").doesNotContain("Exception");
    }

    @Test
    void shouldSignInAnAdminThroughOidcWhoMayChangeWithTheCsrfTokenOnly() {
        Browser admin = signInThroughOidc("ada.admin@example.org", "sealgate-admins");
        String body = "{\"name\":\"ci pipeline\",\"role\":\"operator\"}";

        assertThat(admin.post("/api/v1/admin/api-keys", "application/json", body).statusCode())
                .as("a session's change without the CSRF token").isEqualTo(403);
        HttpResponse<String> created = admin.post("/api/v1/admin/api-keys", "application/json", body, "X-XSRF-TOKEN", admin.xsrfToken());
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).contains("\"key\":\"sgk_");
        assertThat(admin.get("/api/v1/admin/audit?actor=ada.admin@example.org").body())
                .contains("\"route\":\"/api/v1/admin/api-keys\"").contains("\"signIn\":\"oidc\"").contains("\"outcome\":\"success\"");
    }

    @Test
    void shouldGiveAnOidcUserWithoutAMappedRoleNothing() {
        Browser nobody = signInThroughOidc("nick@example.org", "some-other-group");
        assertThat(nobody.get("/api/v1/admin/me").statusCode()).isEqualTo(403);
        assertThat(nobody.get("/api/v1/admin/events").statusCode()).isEqualTo(403);
    }

    @Test
    void shouldSignInTheBreakGlassAccountThroughTheFormAndNeverLogItsPassword(CapturedOutput output) {
        Browser browser = signInWithPassword("breakglass", BREAK_GLASS_PASSWORD);

        HttpResponse<String> me = browser.get("/api/v1/admin/me");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"name\":\"breakglass\"").contains("\"roles\":[\"admin\"]").contains("\"signIn\":\"password\"");
        String hash = JdbcClient.create(dataSource).sql("SELECT password_hash FROM admin_account WHERE username = 'breakglass'")
                .query(String.class).single();
        assertThat(hash).startsWith("$argon2id$").doesNotContain(BREAK_GLASS_PASSWORD);
        assertThat(output.getAll()).doesNotContain(BREAK_GLASS_PASSWORD).doesNotContain("oidc-client-secret-0815");
    }

    @Test
    void shouldRefuseAWrongPassword() {
        Browser browser = signInWithPassword("breakglass", "guess-guess-guess");
        assertThat(browser.get("/api/v1/admin/me").statusCode()).isEqualTo(401);
    }

    @Test
    void shouldRefuseASignInPostWithoutTheCsrfToken() {
        Browser browser = new Browser(port);
        HttpResponse<String> response = browser.post("/login", "application/x-www-form-urlencoded",
                "username=breakglass&password=" + enc(BREAK_GLASS_PASSWORD));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(browser.get("/api/v1/admin/me").statusCode()).isEqualTo(401);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
