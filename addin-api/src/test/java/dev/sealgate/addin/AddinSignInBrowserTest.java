package dev.sealgate.addin;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.sealgate.smtp.SmtpListener;
import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.testkit.AdminTracking;
import dev.sealgate.testkit.Chromium;
import dev.sealgate.testkit.GatewayUnderTest;
import dev.sealgate.testkit.OidcProviderTls;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The add-in signs in with the real MSAL.js (the bundle the service serves) in headless Chromium against
 * a real OpenID Connect provider (mock-oauth2-server over HTTPS, as MSAL insists on), calls the real
 * service, which validates the token against that provider's keys, and the flags it gets travel over
 * SMTP through the gateway. The stand-in {@code Office} object stands for Office.js only.
 *
 * <p>Which MSAL paths run (docs/adr/0160):
 * <ul>
 *   <li>Host with NestedAppAuth 1.1 (the stand-in says so): {@code auth.js} calls
 *   {@code msal.createNestablePublicClientApplication}; with no Outlook host to broker it, MSAL falls
 *   back to its standard browser client, and {@code ssoSilent} gets the token by the authorization code
 *   flow with PKCE in a hidden iframe ({@code prompt=none}), answered on {@code /addin/auth-redirect.html}
 *   (MSAL's redirect bridge). The provider signs the user in without a login page. Where the provider
 *   answers the silent request {@code interaction_required} (as Entra does when the user must act), the
 *   task pane signs in in MSAL's popup; the on-send handler takes the same silent path but opens no
 *   window and asks the user to sign in in the task pane. The NAA broker itself exists only inside
 *   Outlook and is not exercised here.</li>
 *   <li>Host without it: the task pane opens {@code /addin/auth-dialog.html} in the Office dialog (the
 *   stand-in opens a window and relays {@code messageParent}), where MSAL signs in by redirect
 *   ({@code acquireTokenRedirect}, back through the redirect bridge to the dialog page) and hands the
 *   token to the task pane. The on-send handler, which may open no dialog, takes legacy Office SSO
 *   without a prompt (the stand-in hands over a token the provider issued).</li>
 * </ul>
 *
 * <p>Tokens the service must refuse come from the same provider, through the same MSAL code: another
 * issuer's {@code iss} (Entra signs every tenant's tokens with the same keys), another issuer's
 * {@code iss} and key, another audience, another tenant ({@code tid}); each is answered 401 and said in
 * the task pane and on Send, and no flags are issued.
 *
 * <p>The provider is set up as Entra would issue tokens for the add-in's own API (docs/adr/0121):
 * {@code aud} the client ID, {@code tid} the tenant, the user's address in {@code preferred_username}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class AddinSignInBrowserTest {

    private static final String CLIENT_ID = "6731de76-14a6-49ae-97bc-6eba6914391e";
    private static final String KEY = "test-admin-key-signin-0123456789";
    private static final SmtpSink internet = SmtpSink.plain();
    private static final WireMockServer officeCdn = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private static final MockOAuth2Server oidc;

    static {
        OAuth2Config config = OAuth2Config.Companion.fromJson("""
                {
                  "interactiveLogin": false,
                  "httpServer": { "type": "MockWebServerWrapper", "ssl": {} },
                  "tokenCallbacks": [
                    { "issuerId": "tenant-1", "tokenExpiry": 600, "requestMappings": [
                      { "requestParam": "client_id", "match": "%1$s", "claims": {
                        "sub": "alice-sub", "aud": ["%1$s"], "preferred_username": "alice@corp.example", "tid": "tenant-1" } } ] }
                  ]
                }
                """.formatted(CLIENT_ID));
        oidc = new MockOAuth2Server(config, new InteractionRequired(), new ForeignIssuer());
        oidc.start();
        officeCdn.start();
        OidcProviderTls.trust(config);
    }

    /** While set, the provider answers every silent authorization request (prompt=none) with interaction_required. */
    private static final AtomicBoolean interactionRequired = new AtomicBoolean();
    private static final AtomicInteger interactionRequiredAnswers = new AtomicInteger();

    /**
     * The provider's answer, as Entra gives it, to a silent request ({@code prompt=none}) where the user has to
     * do something first (sign in again, consent, MFA): a redirect back with {@code error=interaction_required}
     * and the request's state (OpenID Connect Core 1.0, 3.1.2.6). Everything else goes to mock-oauth2-server.
     */
    static final class InteractionRequired implements Route {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            HttpUrl url = request.getUrl();
            return interactionRequired.get() && url.encodedPath().endsWith("/authorize") && "none".equals(url.queryParameter("prompt"));
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            interactionRequiredAnswers.incrementAndGet();
            HttpUrl url = request.getUrl();
            String answer = "error=interaction_required&error_description=" + URLEncoder.encode("AADSTS50058: user interaction required",
                    StandardCharsets.UTF_8) + "&state=" + URLEncoder.encode(String.valueOf(url.queryParameter("state")), StandardCharsets.UTF_8);
            String redirect = url.queryParameter("redirect_uri");
            String location = "query".equals(url.queryParameter("response_mode"))
                    ? redirect + (redirect.contains("?") ? "&" : "?") + answer
                    : redirect + "#" + answer;
            return new OAuth2HttpResponse(Headers.of("Location", location, "Cache-Control", "no-store"), 302, null, null);
        }
    }

    /** While set, the provider's token endpoint for tenant-1 answers with what tenant-2's issues for the same code. */
    private static final AtomicBoolean foreignIssuer = new AtomicBoolean();

    /**
     * A token of another issuer in every part: the authorization code MSAL got at tenant-1 is redeemed at
     * tenant-2's token endpoint of the same provider, whose tokens carry tenant-2's {@code iss} and are
     * signed with tenant-2's own key, which the service's key set (tenant-1's) does not have.
     */
    static final class ForeignIssuer implements Route {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            return foreignIssuer.get() && request.getMethod().equals("POST") && request.getUrl().encodedPath().equals("/tenant-1/token");
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            try {
                java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newBuilder().build().send(
                        java.net.http.HttpRequest.newBuilder(oidc.tokenEndpointUrl("tenant-2").uri())
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(request.getBody())).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                String origin = request.getHeaders().get("Origin");
                return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json;charset=UTF-8",
                        "Access-Control-Allow-Origin", origin == null ? "*" : origin), answer.statusCode(), answer.body(), null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @TempDir
    static Path dataDir;

    @TempDir
    Path browserDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayUnderTest.register(registry, () -> dataDir, KEY, "corp.example", internet, internet);
        registry.add("sealgate.addin.office-js-url", () -> officeCdn.baseUrl() + "/lib/1/hosted/office.js");
        registry.add("sealgate.addin.auth.client-id", () -> CLIENT_ID);
        registry.add("sealgate.addin.auth.allowed-tenants", () -> "tenant-1");
        registry.add("sealgate.addin.auth.issuer", () -> oidc.issuerUrl("tenant-1").toString());
        registry.add("sealgate.addin.auth.jwk-set-uri", () -> oidc.jwksUrl("tenant-1").toString());
        registry.add("sealgate.addin.auth.authority", () -> oidc.issuerUrl("tenant-1").toString().replaceAll("/$", ""));
    }

    @AfterAll
    static void stop() {
        OidcProviderTls.restore();
        oidc.shutdown();
        officeCdn.stop();
        internet.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient client;

    @Autowired
    SmtpListener listener;

    private ChromeDriver browser;

    @BeforeEach
    void allowPlainAndForgetEarlierProviderRequests() {
        // the recipients have no certificate: let encrypted mail to them go plain, these tests are about sign-in and flags
        admin().put().uri("/api/v1/admin/policies/global").header("X-Api-Key", KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("missingCertificate", "SEND_PLAIN")).exchange().expectStatus().isOk();
        providerRequests();
        interactionRequired.set(false);
        interactionRequiredAnswers.set(0);
        foreignIssuer.set(false);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void shouldSignInTheTaskPaneWithMsalAndSendFlagsTheGatewayHonoursOnlyOnce() throws Exception {
        openTaskpane("en-US");

        assertThat(calls()).noneSatisfy(c -> assertThat(c.get(0)).isEqualTo("auth.getAccessToken"));
        assertThat(providerRequests()).anySatisfy(r -> assertThat(r).startsWith("GET /tenant-1/authorize?").contains("prompt=none")
                .contains("code_challenge_method=S256").contains("scope=api%3A%2F%2Flocalhost%3A" + port + "%2F" + CLIENT_ID
                        + "%2Faccess_as_user")).anySatisfy(r -> assertThat(r).startsWith("POST /tenant-1/token"));
        assertThat(browser.findElement(By.cssSelector("#recipients li[data-address='bob@partner.example']")).getText())
                .contains("external").contains("no certificate");

        browser.findElement(By.id("encrypt")).click();
        waiting().until(d -> headerCalls().size() >= 2);
        Map<String, Object> headers = headerCalls().get(headerCalls().size() - 1);

        send("signed in with MSAL", "bob@partner.example", headers);
        send("the same headers again", "dave@partner.example", headers);
        String token = String.valueOf(headers.get("X-Sealgate-Flags"));
        send("a forged flags header", "erin@partner.example", Map.of("X-Sealgate-Flags", forged(token)));

        assertThat(delivered("signed in with MSAL").text()).doesNotContainIgnoringCase("X-Sealgate-Flags")
                .doesNotContainIgnoringCase("X-Sealgate-Correlation");
        assertThat(AdminTracking.cryptoOperations(admin(), KEY, "bob@partner.example"))
                .contains("add-in flags").contains("encrypt=true, sign=true, large-files=false (header)");
        delivered("the same headers again");
        assertThat(AdminTracking.cryptoOperations(admin(), KEY, "dave@partner.example")).contains("add-in flags")
                .contains("REPLAYED").doesNotContain("encrypt=true");
        assertThat(delivered("a forged flags header").text()).doesNotContainIgnoringCase("X-Sealgate-Flags");
        assertThat(AdminTracking.cryptoOperations(admin(), KEY, "erin@partner.example")).contains("add-in flags")
                .doesNotContain("encrypt=true");
    }

    @Test
    void shouldSignInTheOnSendHandlerSilentlyAndBeFoundByTheCorrelationHeaderWhenTheTokenIsLost() throws Exception {
        String choices = "{\"encrypt\":true,\"sign\":false,\"largeFiles\":false}";
        Map<String, Object> completed = runOnSend("de-DE", choices);

        assertThat(completed).containsEntry("allowEvent", true);
        assertThat(providerRequests()).anySatisfy(r -> assertThat(r).startsWith("GET /tenant-1/authorize?").contains("prompt=none"));
        Map<String, Object> headers = headerCalls().get(headerCalls().size() - 1);
        assertThat(String.valueOf(headers.get("X-Sealgate-Correlation"))).matches("[0-9a-f]{32}");

        Map<String, Object> correlationOnly = Map.of("X-Sealgate-Correlation", headers.get("X-Sealgate-Correlation"));
        send("only the correlation id", "carol@partner.example", correlationOnly);
        send("the same correlation id again", "frank@partner.example", correlationOnly);

        assertThat(delivered("only the correlation id").text()).doesNotContainIgnoringCase("X-Sealgate-Correlation");
        assertThat(AdminTracking.cryptoOperations(admin(), KEY, "carol@partner.example"))
                .contains("encrypt=true, sign=false, large-files=false (correlated)");
        delivered("the same correlation id again");
        assertThat(AdminTracking.cryptoOperations(admin(), KEY, "frank@partner.example")).contains("add-in flags")
                .doesNotContain("encrypt=true");
    }

    @Test
    void shouldSignInThroughTheOfficeDialogWhereTheHostHasNoNestedAppAuthAndOpenItOnlyOnce() throws Exception {
        stubOffice("en-US", "{}", false);
        browser = startBrowser(browserDir.resolve("profile"));
        browser.get("http://localhost:" + port + "/addin/taskpane.html");
        waiting().until(d -> d.findElements(By.cssSelector("#recipients li")).size() == 2 && !headerCalls().isEmpty()
                || "error".equals(d.findElement(By.id("status")).getAttribute("class")));

        assertThat(browser.findElement(By.id("status")).getAttribute("class")).as(browser.findElement(By.id("status")).getText())
                .isNotEqualTo("error");
        assertThat(calls()).filteredOn(c -> c.get(0).equals("ui.displayDialogAsync")).singleElement()
                .satisfies(c -> assertThat(c.get(1)).isEqualTo("http://localhost:" + port + "/addin/auth-dialog.html"));
        assertThat(calls()).noneSatisfy(c -> assertThat(c.get(0)).isEqualTo("auth.getAccessToken"));
        List<String> requests = providerRequests();
        assertThat(requests).anySatisfy(r -> assertThat(r).startsWith("GET /tenant-1/authorize?").doesNotContain("prompt=none")
                .contains("redirect_uri=http%3A%2F%2Flocalhost%3A" + port + "%2Faddin%2Fauth-redirect.html"));
        assertThat(requests).filteredOn(r -> r.startsWith("POST /tenant-1/token")).hasSize(1);

        browser.findElement(By.id("encrypt")).click();
        waiting().until(d -> headerCalls().size() >= 2);
        send("signed in through the dialog", "grace@partner.example", headerCalls().get(headerCalls().size() - 1));
        delivered("signed in through the dialog");
        assertThat(AdminTracking.cryptoOperations(admin(), KEY, "grace@partner.example"))
                .contains("encrypt=true, sign=true, large-files=false (header)");
        assertThat(calls()).filteredOn(c -> c.get(0).equals("ui.displayDialogAsync")).hasSize(1);
    }

    /**
     * What the provider issues instead of a good token. Entra signs the tokens of every tenant with the same
     * keys, so a token of another tenant's issuer or for another application is signed correctly: only the
     * service's checks of {@code iss}, {@code aud} and {@code tid} stand between it and the API. A token of
     * another provider altogether fails already at the signature.
     */
    enum WrongToken {
        /** {@code iss} of another issuer on the same provider (tenant-2's), everything else right */
        ISSUER("not issued for this service"),
        /** issued and signed by another issuer (tenant-2's key), {@code aud} and {@code tid} right */
        FOREIGN_ISSUER("not signed with RS256 or ES256 by a key of the configured issuer"),
        /** {@code aud} another application's */
        AUDIENCE("not issued for this service"),
        /** {@code tid} another tenant's, issuer and audience right */
        TENANT("tenant (tid)");

        final String detail;

        WrongToken(String detail) {
            this.detail = detail;
        }
    }

    private static void issueNext(WrongToken wrong) {
        Map<String, Object> claims = new HashMap<>(Map.of("preferred_username", "alice@corp.example", "tid", "tenant-1"));
        List<String> audience = List.of(CLIENT_ID);
        String issuer = "tenant-1";
        switch (wrong) {
            case ISSUER -> claims.put("iss", oidc.issuerUrl("tenant-2").toString());
            case FOREIGN_ISSUER -> {
                foreignIssuer.set(true);
                issuer = "tenant-2";
            }
            case AUDIENCE -> audience = List.of("api://someone-else");
            case TENANT -> claims.put("tid", "tenant-2");
        }
        oidc.enqueueCallback(new DefaultOAuth2TokenCallback(issuer, "alice-sub", "JWT", audience, claims, 600));
    }

    @ParameterizedTest
    @EnumSource(WrongToken.class)
    void shouldRefuseTheTaskPaneATokenMsalGotForAnotherIssuerAudienceOrTenant(WrongToken wrong) {
        issueNext(wrong);
        openTaskpane("en-US");

        assertThat(providerRequests()).anySatisfy(r -> assertThat(r).startsWith("POST /tenant-1/token"));
        assertThat(browser.findElement(By.id("status")).getAttribute("class")).isEqualTo("error");
        assertThat(browser.findElement(By.id("status")).getText()).startsWith("Sealgate refused your sign-in: ").contains(wrong.detail);
        assertThat(apiAnswers()).containsEntry("/api/v1/addin/settings", 401).doesNotContainKey("/api/v1/addin/flags")
                .allSatisfy((path, status) -> assertThat(status).as(path).isEqualTo(401));
        assertThat(browser.findElement(By.id("flags")).getAttribute("hidden")).isNotNull();
        assertThat(headerCalls()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(WrongToken.class)
    void shouldRefuseTheOnSendHandlerATokenMsalGotForAnotherIssuerAudienceOrTenant(WrongToken wrong) {
        issueNext(wrong);
        Map<String, Object> completed = runOnSend("de-DE", "{\"encrypt\":true,\"sign\":false,\"largeFiles\":false}");

        assertThat(providerRequests()).anySatisfy(r -> assertThat(r).startsWith("POST /tenant-1/token"));
        assertThat(completed).containsEntry("allowEvent", false);
        assertThat(String.valueOf(completed.get("errorMessage"))).startsWith("Sealgate hat Ihre Anmeldung abgelehnt (")
                .contains(wrong.detail).contains("Richtlinie des Gateways");
        assertThat(apiAnswers()).containsEntry("/api/v1/addin/settings", 401).doesNotContainKey("/api/v1/addin/flags")
                .allSatisfy((path, status) -> assertThat(status).as(path).isEqualTo(401));
        assertThat(headerCalls()).isEmpty();
    }

    @Test
    void shouldSignInTheTaskPaneInteractivelyWhenTheSilentRequestNeedsInteraction() {
        interactionRequired.set(true);
        openTaskpane("en-US");

        assertThat(browser.findElement(By.id("status")).getAttribute("class")).as(browser.findElement(By.id("status")).getText())
                .isNotEqualTo("error");
        List<String> requests = providerRequests();
        List<String> authorizations = requests.stream().filter(r -> r.startsWith("GET /tenant-1/authorize?")).toList();
        // first silently (prompt=none), answered interaction_required; then MSAL's popup, which the provider answers
        assertThat(authorizations).hasSize(2);
        assertThat(authorizations.get(0)).contains("prompt=none");
        assertThat(authorizations.get(1)).doesNotContain("prompt=none")
                .contains("redirect_uri=http%3A%2F%2Flocalhost%3A" + port + "%2Faddin%2Fauth-redirect.html");
        assertThat(requests).filteredOn(r -> r.startsWith("POST /tenant-1/token")).hasSize(1);
        assertThat(interactionRequiredAnswers.get()).isEqualTo(1);
        assertThat(calls()).noneSatisfy(c -> assertThat(c.get(0)).isIn("auth.getAccessToken", "ui.displayDialogAsync"));
        assertThat(apiAnswers()).containsEntry("/api/v1/addin/settings", 200).containsEntry("/api/v1/addin/flags", 200);
        assertThat(headerCalls()).isNotEmpty();
    }

    @Test
    void shouldNotOpenAnyWindowOnSendWhenTheSilentRequestNeedsInteractionButSaySignInFirst() {
        interactionRequired.set(true);
        Map<String, Object> completed = runOnSend("en-US", "{\"encrypt\":true,\"sign\":false,\"largeFiles\":false}");

        assertThat(completed).containsEntry("allowEvent", false).containsEntry("commandId", "sealgateOpenPane")
                .containsEntry("cancelLabel", "Open Sealgate");
        assertThat(String.valueOf(completed.get("errorMessage"))).startsWith("Sign in to Sealgate first: open Sealgate");
        List<String> requests = providerRequests();
        assertThat(requests).filteredOn(r -> r.startsWith("GET /tenant-1/authorize?")).singleElement()
                .satisfies(r -> assertThat(r).contains("prompt=none"));
        assertThat(requests).noneSatisfy(r -> assertThat(r).startsWith("POST /tenant-1/token"));
        assertThat(browser.getWindowHandles()).hasSize(1);
        assertThat(apiAnswers()).isEmpty();
        assertThat(headerCalls()).isEmpty();
    }

    /**
     * Hosts without NAA: an event handler may not open the Office dialog, so the on-send handler takes the last
     * resort, legacy Office SSO, without any prompt. Here Office hands over a token the provider issued for the
     * add-in (as Entra would for the app registration named in WebApplicationInfo); then, refused (13000), the
     * handler blocks with the reason and still opens no window.
     */
    @Test
    void shouldFallBackOnSendToOfficeSsoWithoutAPromptWhereTheHostHasNoNestedAppAuth() {
        String choices = "{ \"sealgate-choices\": " + jsString("{\"encrypt\":true,\"sign\":false,\"largeFiles\":false}") + " }";
        Map<String, Object> alice = Map.of("preferred_username", "alice@corp.example", "tid", "tenant-1");
        String officeToken = oidc.issueToken("tenant-1", CLIENT_ID,
                new DefaultOAuth2TokenCallback("tenant-1", "alice-sub", "JWT", List.of(CLIENT_ID), alice, 600)).serialize();
        providerRequests();
        stubOffice("en-US", choices, false, officeToken);
        Map<String, Object> completed = runStubbedOnSend("profile");

        assertThat(completed).containsEntry("allowEvent", true);
        assertThat(calls()).filteredOn(c -> c.get(0).equals("auth.getAccessToken")).isNotEmpty()
                .allSatisfy(c -> assertThat(c.get(1)).isEqualTo(Map.of("allowSignInPrompt", false, "allowConsentPrompt", false)));
        assertThat(calls()).noneSatisfy(c -> assertThat(c.get(0)).isEqualTo("ui.displayDialogAsync"));
        assertThat(providerRequests()).noneSatisfy(r -> assertThat(r).contains("/authorize"));
        assertThat(apiAnswers()).containsEntry("/api/v1/addin/settings", 200).containsEntry("/api/v1/addin/flags", 200);
        assertThat(headerCalls()).isNotEmpty();
        browser.quit();

        browser = null;
        stubOffice("en-US", choices, false, null);
        completed = runStubbedOnSend("second-profile");
        assertThat(completed).containsEntry("allowEvent", false);
        assertThat(String.valueOf(completed.get("errorMessage"))).contains("The identity API is not supported for this add-in.");
        assertThat(calls()).noneSatisfy(c -> assertThat(c.get(0)).isEqualTo("ui.displayDialogAsync"));
        assertThat(browser.getWindowHandles()).hasSize(1);
        assertThat(headerCalls()).isEmpty();
    }

    private void openTaskpane(String displayLanguage) {
        openTaskpaneIn(displayLanguage, browserDir.resolve("profile"));
    }

    private void openTaskpaneIn(String displayLanguage, Path profile) {
        stubOffice(displayLanguage, "{}");
        browser = startBrowser(profile);
        browser.get("http://localhost:" + port + "/addin/taskpane.html");
        waiting().until(d -> d.findElements(By.cssSelector("#recipients li")).size() == 2 && !headerCalls().isEmpty()
                || "error".equals(d.findElement(By.id("status")).getAttribute("class")));
    }

    private Map<String, Object> runOnSend(String displayLanguage, String choices) {
        stubOffice(displayLanguage, "{ \"sealgate-choices\": " + jsString(choices) + " }");
        return runStubbedOnSend("profile");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> runStubbedOnSend(String profile) {
        browser = startBrowser(browserDir.resolve(profile));
        browser.get("http://localhost:" + port + "/addin/onsend.html");
        waiting().until(d -> browser.executeScript("return window.associated === true;"));
        browser.executeScript("window.associatedHandler({ completed: function (options) { window.completed = options; } });");
        waiting().until(d -> browser.executeScript("return window.completed;") != null);
        return (Map<String, Object>) browser.executeScript("return window.completed;");
    }

    private ChromeDriver startBrowser(Path profile) {
        // the provider's certificate is its own (MSAL requires an HTTPS authority); the stand-in's Office
        // dialog is a window the page opens without a click
        return Chromium.start(profile, browserDir.resolve("downloads"), "en", "--ignore-certificate-errors", "--disable-popup-blocking");
    }

    private void stubOffice(String displayLanguage, String session) {
        stubOffice(displayLanguage, session, true);
    }

    private void stubOffice(String displayLanguage, String session, boolean nestedAppAuth) {
        stubOffice(displayLanguage, session, nestedAppAuth, null);
    }

    private void stubOffice(String displayLanguage, String session, boolean nestedAppAuth, String officeSsoToken) {
        officeCdn.stubFor(WireMock.get("/lib/1/hosted/office.js").willReturn(WireMock.ok(standInOffice(displayLanguage, session, nestedAppAuth, officeSsoToken))
                .withHeader("Content-Type", "application/javascript")));
    }

    private void send(String subject, String to, Map<String, Object> headers) throws Exception {
        Session session = Session.getInstance(new Properties());
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("alice@corp.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText("contract attached");
        for (Map.Entry<String, Object> header : headers.entrySet()) {
            message.setHeader(header.getKey(), String.valueOf(header.getValue()));
        }
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("127.0.0.1", listener.port(), null, null);
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    private static SmtpSink.Received delivered(String subject) throws InterruptedException {
        return internet.await(m -> m.text().contains(subject), 1, Duration.ofSeconds(30)).get(0);
    }

    /** The same token with one more flag claimed (sign): the provider's signature no longer fits. */
    private static String forged(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String changed = payload.replace("\"flags\":[", "\"flags\":[\"sign\",");
        assertThat(changed).isNotEqualTo(payload);
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(changed.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    /** The request lines the provider received since the last call. */
    private static List<String> providerRequests() {
        List<String> lines = new ArrayList<>();
        while (true) {
            RecordedRequest request;
            try {
                request = oidc.takeRequest(100, TimeUnit.MILLISECONDS);
            } catch (RuntimeException none) {
                // mock-oauth2-server answers "no request found in queue" by throwing
                return lines;
            }
            lines.add(request.getRequestLine());
        }
    }

    private WebTestClient admin() {
        return client.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(90));
    }

    /**
     * What the service answered the page's calls to its API, by path (the last answer for each): Chromium's
     * resource timing gives the status of each request the page made.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Integer> apiAnswers() {
        List<List<Object>> entries = (List<List<Object>>) browser.executeScript("""
                return performance.getEntriesByType("resource")
                  .filter(function (e) { return new URL(e.name).pathname.indexOf("/api/v1/") === 0; })
                  .map(function (e) { return [new URL(e.name).pathname, e.responseStatus]; });""");
        Map<String, Integer> answers = new LinkedHashMap<>();
        entries.forEach(e -> answers.put((String) e.get(0), ((Number) e.get(1)).intValue()));
        return answers;
    }

    @SuppressWarnings("unchecked")
    private List<List<Object>> calls() {
        return (List<List<Object>>) browser.executeScript("return window.officeCalls;");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> headerCalls() {
        return calls().stream().filter(c -> c.get(0).equals("internetHeaders.setAsync")).map(c -> (Map<String, Object>) c.get(1)).toList();
    }

    private static String jsString(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Office.js as the task pane and the on-send handler use it; legacy Office SSO answers {@code officeSsoToken},
     * or is refused as Office refuses it without WebApplicationInfo (13000) when that is null.
     */
    private static String standInOffice(String displayLanguage, String session, boolean nestedAppAuth, String officeSsoToken) {
        return """
                window.officeCalls = [];
                (function () {
                  var session = %s;
                  function ok(value) { return { status: "succeeded", value: value }; }
                  function addresses(list) {
                    return { getAsync: function (cb) { cb(ok(list.map(function (a) { return { emailAddress: a }; }))); } };
                  }
                  window.Office = {
                    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
                    CoercionType: { Html: "html", Text: "text" },
                    EventType: { DialogMessageReceived: "dialogMessageReceived", DialogEventReceived: "dialogEventReceived" },
                    MailboxEnums: { SendModeOverride: { PromptUser: "promptUser" } },
                    onReady: function (cb) { setTimeout(function () { cb({ host: "Outlook" }); }, 0); },
                    actions: { associate: function (name, handler) {
                      window.associated = name === "onMessageSendHandler"; window.associatedHandler = handler; } },
                    auth: { getAccessToken: function (options) {
                      window.officeCalls.push(["auth.getAccessToken", options || {}]);
                      var token = %s;
                      if (token) { return Promise.resolve(token); }
                      var refused = new Error("The identity API is not supported for this add-in."); refused.code = 13000;
                      return Promise.reject(refused); } },
                    context: {
                      displayLanguage: "%s",
                      requirements: { isSetSupported: function (name, version) { return name === "Mailbox" || (%s && name === "NestedAppAuth"); } },
                      ui: {
                        // the Office dialog as a browser window; messages travel by postMessage between the two
                        displayDialogAsync: function (url, options, cb) {
                          window.officeCalls.push(["ui.displayDialogAsync", url]);
                          var handlers = {};
                          var dialog = window.open(url, "_blank");
                          window.addEventListener("message", function (e) {
                            if (e.origin === window.location.origin && e.data && e.data.fromDialog !== undefined) {
                              handlers.dialogMessageReceived({ message: e.data.fromDialog });
                            }
                          });
                          cb(ok({ addEventHandler: function (type, handler) { handlers[type] = handler; },
                                  close: function () { dialog.close(); } }));
                        },
                        messageParent: function (message) {
                          window.opener.postMessage({ fromDialog: message }, window.location.origin);
                        }
                      },
                      mailbox: { item: {
                        to: addresses(["bob@partner.example"]),
                        cc: addresses(["alice@corp.example"]),
                        bcc: addresses([]),
                        sessionData: {
                          getAsync: function (name, cb) { cb(name in session ? ok(session[name]) : { status: "failed", error: { message: "not found" } }); },
                          setAsync: function (name, value, cb) { session[name] = value; cb(ok()); } },
                        internetHeaders: { setAsync: function (headers, cb) {
                          window.officeCalls.push(["internetHeaders.setAsync", headers]); cb(ok()); } },
                        getAttachmentsAsync: function (cb) { cb(ok([])); },
                        body: { prependAsync: function (html, options, cb) { cb(ok()); } }
                      } }
                    }
                  };
                })();
                """.formatted(session, officeSsoToken == null ? "null" : jsString(officeSsoToken), displayLanguage, nestedAppAuth);
    }
}
