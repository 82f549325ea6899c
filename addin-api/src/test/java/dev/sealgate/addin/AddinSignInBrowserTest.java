package dev.sealgate.addin;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.testkit.AdminTracking;
import dev.sealgate.testkit.Chromium;
import dev.sealgate.testkit.ServiceProcess;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The add-in signs in with the real MSAL.js (the vendored bundle the service serves) in headless Chromium
 * against a real OpenID Connect provider (mock-oauth2-server over HTTPS, as MSAL insists on), and calls
 * the real service, which validates the token against that provider's keys. The service runs in a JVM
 * of its own that trusts the provider's certificate. The stand-in {@code Office} object stands for
 * Office.js only. The flags header the add-in set then travels over SMTP through the gateway.
 */
class AddinSignInBrowserTest {

    private static final String CLIENT_ID = "6731de76-14a6-49ae-97bc-6eba6914391e";
    private static final String KEY = "test-admin-key-signin-0123456789";
    /** tenant-1 is the issuer Sealgate trusts; what it issues to the add-in is what Entra would issue. */
    private static final String OIDC_CONFIG = """
            {
              "interactiveLogin": false,
              "httpServer": { "type": "MockWebServerWrapper", "ssl": {} },
              "tokenCallbacks": [
                { "issuerId": "tenant-1", "tokenExpiry": 600, "requestMappings": [
                  { "requestParam": "client_id", "match": "*", "claims": {
                    "sub": "alice-sub", "aud": ["%1$s"], "preferred_username": "alice@corp.example", "tid": "tenant-1" } } ] }
              ]
            }
            """.formatted(CLIENT_ID);

    @TempDir
    static Path dir;

    private static MockOAuth2Server oidc;
    private static SmtpSink internet;
    private static ServiceProcess service;
    private static WireMockServer officeCdn;
    private static int port;
    private static int smtpPort;

    @TempDir
    Path browserDir;

    private ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        OAuth2Config config = OAuth2Config.Companion.fromJson(OIDC_CONFIG);
        oidc = new MockOAuth2Server(config);
        oidc.start();
        // OkHttp's MockWebServer, not the Netty server: BlockHound (BlockHoundSession) watches every
        // Netty event loop in this JVM, and the provider is not ours to make non-blocking
        Path trustStore = trustStoreFor(((MockWebServerWrapper) config.getHttpServer()).getSsl().getSslKeystore().getKeyStore());
        internet = SmtpSink.plain();
        officeCdn = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        officeCdn.start();
        port = ServiceProcess.freePort();
        smtpPort = ServiceProcess.freePort();
        assertThat(providerAnswers(trustStore)).as("the OIDC provider answers over HTTPS with the trust store the service gets").isEqualTo(200);
        service = ServiceProcess.start(Path.of("target", "AddinSignInBrowserTest-service.out"),
                List.of("-Xmx384m", "-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStorePassword=changeit",
                        "-Djavax.net.ssl.trustStoreType=PKCS12"),
                List.of("--server.port=" + port,
                        "--sealgate.data-dir=" + dir.resolve("data"),
                        "--sealgate.admin.api-key=" + KEY,
                        "--sealgate.domains=corp.example",
                        "--sealgate.company-servers=127.0.0.1/32",
                        "--sealgate.relay.outbound-smarthost=" + internet.hostAndPort(),
                        "--sealgate.smtp.port=" + smtpPort,
                        "--sealgate.smtp.bind-address=127.0.0.1",
                        "--sealgate.smtp.host-name=gateway.corp.example",
                        "--sealgate.queue.poll-interval=100ms",
                        "--sealgate.addin.office-js-url=" + officeCdn.baseUrl() + "/lib/1/hosted/office.js",
                        "--sealgate.addin.auth.client-id=" + CLIENT_ID,
                        "--sealgate.addin.auth.allowed-tenants=tenant-1",
                        "--sealgate.addin.auth.issuer=" + oidc.issuerUrl("tenant-1"),
                        "--sealgate.addin.auth.jwk-set-uri=" + oidc.jwksUrl("tenant-1"),
                        "--sealgate.addin.auth.authority=" + withoutSlash(oidc.issuerUrl("tenant-1").toString())));
        service.awaitHealthy(HttpClient.newHttpClient(), port);
        // bob has no certificate; let encrypted mail to him go plain, this test is about sign-in and flags
        admin().put().uri("/api/v1/admin/policies/global").header("X-Api-Key", KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("missingCertificate", "SEND_PLAIN")).exchange().expectStatus().isOk();
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (oidc != null) {
            oidc.shutdown();
        }
        if (internet != null) {
            internet.close();
        }
        if (officeCdn != null) {
            officeCdn.stop();
        }
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void shouldSignInWithMsalAgainstTheProviderAndSendFlagsTheGatewayHonours() throws Exception {
        openTaskpane("en-US");

        assertThat(calls()).noneSatisfy(c -> assertThat(c.get(0)).isEqualTo("auth.getAccessToken"));
        assertThat(browser.findElement(By.cssSelector("#recipients li[data-address='bob@partner.example']")).getText())
                .contains("external").contains("no certificate");

        browser.findElement(By.id("encrypt")).click();
        waiting().until(d -> headerCalls().size() >= 2);
        Map<String, Object> headers = headerCalls().get(headerCalls().size() - 1);

        send("signed in with MSAL", headers, Map.of());
        SmtpSink.Received delivered = internet.await(m -> m.text().contains("signed in with MSAL"), 1, Duration.ofSeconds(30)).get(0);
        assertThat(delivered.text()).doesNotContainIgnoringCase("X-Sealgate-Flags").doesNotContainIgnoringCase("X-Sealgate-Correlation");
        assertThat(AdminTracking.cryptoOperations(admin(), KEY, "bob@partner.example"))
                .contains("add-in flags").contains("encrypt=true, sign=false").contains("(header)");
    }

    @Test
    void shouldFindTheFlagsByTheCorrelationHeaderWhenOutlookDropsTheTokenAndNeverTwice() throws Exception {
        openTaskpane("de-DE");
        assertThat(browser.findElement(By.id("check-recipients")).getText()).isEqualTo("Empfänger prüfen");

        browser.findElement(By.id("encrypt")).click();
        waiting().until(d -> headerCalls().size() >= 2);
        Object correlation = headerCalls().get(headerCalls().size() - 1).get("X-Sealgate-Correlation");
        assertThat(String.valueOf(correlation)).matches("[0-9a-f]{32}");

        send("only the correlation id", Map.of("X-Sealgate-Correlation", correlation), Map.of());
        internet.await(m -> m.text().contains("only the correlation id"), 1, Duration.ofSeconds(30));
        assertThat(AdminTracking.cryptoOperations(admin(), KEY, "carol@partner.example"))
                .contains("encrypt=true, sign=false").contains("(correlated)");

        send("the same correlation id again", Map.of("X-Sealgate-Correlation", correlation), Map.of("to", "dave@partner.example"));
        internet.await(m -> m.text().contains("the same correlation id again"), 1, Duration.ofSeconds(30));
        assertThat(AdminTracking.cryptoOperations(admin(), KEY, "dave@partner.example")).contains("add-in flags").contains("none");
    }

    @Test
    void shouldRefuseTokensFromAnotherIssuerTenantOrAudience() {
        Map<String, Object> alice = Map.of("preferred_username", "alice@corp.example", "tid", "tenant-1");
        Map<String, Object> aliceElsewhere = Map.of("preferred_username", "alice@corp.example", "tid", "tenant-2");

        assertThat(settingsStatus(oidc.issueToken("tenant-2", "alice-sub", CLIENT_ID, alice, 600).serialize())).isEqualTo(401);
        assertThat(settingsStatus(oidc.issueToken("tenant-1", "alice-sub", CLIENT_ID, aliceElsewhere, 600).serialize())).isEqualTo(401);
        assertThat(settingsStatus(oidc.issueToken("tenant-1", "alice-sub", "api://someone-else", alice, 600).serialize())).isEqualTo(401);
        assertThat(settingsStatus(oidc.issueToken("tenant-1", "alice-sub", CLIENT_ID, alice, 600).serialize())).isEqualTo(200);
    }

    private static int settingsStatus(String token) {
        return admin().get().uri("/api/v1/addin/settings").headers(h -> h.setBearerAuth(token)).exchange()
                .returnResult(String.class).getStatus().value();
    }

    private void openTaskpane(String displayLanguage) {
        officeCdn.stubFor(WireMock.get("/lib/1/hosted/office.js").willReturn(WireMock.ok(standInOffice(displayLanguage))
                .withHeader("Content-Type", "application/javascript")));
        browser = Chromium.start(browserDir.resolve("profile"), browserDir.resolve("downloads"), "en", "--ignore-certificate-errors",
                "--allow-insecure-localhost", "--disable-popup-blocking");
        browser.get("http://localhost:" + port + "/addin/taskpane.html");
        waiting().until(d -> d.findElements(By.cssSelector("#recipients li")).size() == 2 && !headerCalls().isEmpty()
                || d.findElement(By.id("status")).getAttribute("class").contains("error"));
        assertThat(browser.findElement(By.id("status")).getAttribute("class")).as(browser.findElement(By.id("status")).getText())
                .doesNotContain("error");
    }

    private void send(String subject, Map<String, Object> headers, Map<String, String> options) throws Exception {
        Session session = Session.getInstance(new Properties());
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("alice@corp.example"));
        String to = options.getOrDefault("to", subject.startsWith("only") ? "carol@partner.example" : "bob@partner.example");
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText("contract attached");
        for (Map.Entry<String, Object> header : headers.entrySet()) {
            message.setHeader(header.getKey(), String.valueOf(header.getValue()));
        }
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("127.0.0.1", smtpPort, null, null);
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    private static WebTestClient admin() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(30)).build();
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(60));
    }

    @SuppressWarnings("unchecked")
    private List<List<Object>> calls() {
        return (List<List<Object>>) browser.executeScript("return window.officeCalls;");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> headerCalls() {
        return calls().stream().filter(c -> c.get(0).equals("internetHeaders.setAsync")).map(c -> (Map<String, Object>) c.get(1)).toList();
    }

    private static int providerAnswers(Path trustStore) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(trustStore)) {
            trust.load(in, "changeit".toCharArray());
        }
        javax.net.ssl.TrustManagerFactory trustManagers = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, trustManagers.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(tls).build();
        return http.send(java.net.http.HttpRequest.newBuilder(oidc.jwksUrl("tenant-1").uri()).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Path trustStoreFor(KeyStore providerKeys) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        KeyStore defaults = KeyStore.getInstance(KeyStore.getDefaultType());
        try (var in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
            defaults.load(in, "changeit".toCharArray());
        }
        for (String alias : java.util.Collections.list(defaults.aliases())) {
            trust.setCertificateEntry("default-" + alias, defaults.getCertificate(alias));
        }
        for (String alias : java.util.Collections.list(providerKeys.aliases())) {
            Certificate certificate = providerKeys.getCertificate(alias);
            trust.setCertificateEntry("oidc-" + alias, certificate);
        }
        Path file = dir.resolve("truststore.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            trust.store(out, "changeit".toCharArray());
        }
        return file;
    }

    private static String withoutSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String standInOffice(String displayLanguage) {
        return """
                window.officeCalls = [];
                (function () {
                  var session = {};
                  function ok(value) { return { status: "succeeded", value: value }; }
                  function addresses(list) {
                    return { getAsync: function (cb) { cb(ok(list.map(function (a) { return { emailAddress: a }; }))); } };
                  }
                  window.Office = {
                    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
                    CoercionType: { Html: "html", Text: "text" },
                    onReady: function (cb) { setTimeout(function () { cb({ host: "Outlook" }); }, 0); },
                    auth: { getAccessToken: function () {
                      window.officeCalls.push(["auth.getAccessToken"]); return Promise.reject(new Error("13000")); } },
                    context: {
                      displayLanguage: "%s",
                      requirements: { isSetSupported: function (name, version) { return name === "NestedAppAuth" || name === "Mailbox"; } },
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
                """.formatted(displayLanguage);
    }
}
