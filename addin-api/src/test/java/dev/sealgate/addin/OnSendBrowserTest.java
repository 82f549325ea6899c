package dev.sealgate.addin;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.sealgate.flags.FlagsTokenVerifier;
import dev.sealgate.flags.FlagsVerification;
import dev.sealgate.flags.MessageFlags;
import dev.sealgate.testkit.Chromium;
import dev.sealgate.testkit.TestIdentityProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The check on Send (Smart Alerts): the handler Outlook runs on {@code OnMessageSend}, loaded from the
 * page the manifests name, in real headless Chromium against the running service. The stand-in
 * {@code Office} object records what the handler tells Outlook ({@code event.completed}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OnSendBrowserTest {

    private static final TestIdentityProvider idp = new TestIdentityProvider();
    private static final WireMockServer officeCdn = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        officeCdn.start();
    }

    @TempDir
    static Path dataDir;

    @TempDir
    Path browserDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.domains[0]", () -> "example.org");
        registry.add("sealgate.files.large-file-threshold", () -> "2KB");
        registry.add("sealgate.addin.office-js-url", () -> officeCdn.baseUrl() + "/lib/1/hosted/office.js");
        idp.register(registry);
    }

    @AfterAll
    static void stop() {
        idp.close();
        officeCdn.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    FlagsTokenVerifier verifier;

    private ChromeDriver browser;

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void shouldLetAGoodMessageGoWithFlagsAndACorrelationHeader() {
        Map<String, Object> completed = send("en-US", List.of("bob@example.org"), "{\"encrypt\":true,\"sign\":true,\"largeFiles\":false}", 10);

        assertThat(completed).containsEntry("allowEvent", true);
        Map<String, Object> headers = lastHeaders();
        FlagsVerification verified = verifier.verify((String) headers.get("X-Sealgate-Flags"), "alice@example.org",
                List.of("alice@example.org"), null);
        assertThat(verified).isInstanceOfSatisfying(FlagsVerification.Valid.class,
                valid -> assertThat(valid.flags()).isEqualTo(new MessageFlags(true, true, false)));
        assertThat((String) headers.get("X-Sealgate-Correlation")).matches("[0-9a-f]{32}");
    }

    @Test
    void shouldBlockEncryptedMailToARecipientThePolicyWouldRejectAndSayWho() {
        Map<String, Object> completed = send("en-US", List.of("bob@example.org", "carol@partner.example"),
                "{\"encrypt\":true,\"sign\":false,\"largeFiles\":false}", 10);

        assertThat(completed).containsEntry("allowEvent", false)
                .containsEntry("commandId", "sealgateOpenPane")
                .containsEntry("sendModeOverride", "promptUser");
        assertThat((String) completed.get("errorMessage")).contains("carol@partner.example").doesNotContain("bob@example.org");
        assertThat(headerCalls()).isEmpty();
    }

    @Test
    void shouldOfferLinksForLargeAttachmentsInGermanWhenOutlookSpeaksGerman() {
        Map<String, Object> completed = send("de-DE", List.of("bob@example.org"), null, 3000);

        assertThat(completed).containsEntry("allowEvent", false).containsEntry("cancelLabel", "Sealgate öffnen");
        assertThat((String) completed.get("errorMessage")).contains("Große Anhänge als Links senden").contains("2 KB");
    }

    @Test
    void shouldNotLoseTheMessageWhenTheServiceRefusesTheToken() {
        officeCdn.stubFor(WireMock.get("/lib/1/hosted/office.js").willReturn(WireMock.ok(
                standInOffice("en-US", List.of("bob@example.org"), null, 10, "not-a-token"))
                .withHeader("Content-Type", "application/javascript")));

        Map<String, Object> completed = run();

        assertThat(completed).containsEntry("allowEvent", false).containsEntry("sendModeOverride", "promptUser");
        // a refused token (401) is said as such, with the service's reason; the policy still decides, so "Send anyway" stays
        assertThat((String) completed.get("errorMessage")).startsWith("Sealgate refused your sign-in (").contains("not a JWT")
                .contains("the gateway's policy alone will decide");
    }

    private Map<String, Object> send(String language, List<String> to, String choices, int attachmentSize) {
        officeCdn.stubFor(WireMock.get("/lib/1/hosted/office.js").willReturn(WireMock.ok(
                standInOffice(language, to, choices, attachmentSize, idp.token("alice@example.org")))
                .withHeader("Content-Type", "application/javascript")));
        return run();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> run() {
        browser = Chromium.start(browserDir.resolve("profile"), browserDir.resolve("downloads"));
        browser.get("http://localhost:" + port + "/addin/onsend.html");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> browser.executeScript("return window.associated === true;"));
        browser.executeScript("window.associatedHandler({ completed: function (options) { window.completed = options; } });");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> browser.executeScript("return window.completed;") != null);
        return (Map<String, Object>) browser.executeScript("return window.completed;");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> headerCalls() {
        List<List<Object>> calls = (List<List<Object>>) browser.executeScript("return window.officeCalls;");
        return calls.stream().filter(c -> c.get(0).equals("internetHeaders.setAsync")).map(c -> (Map<String, Object>) c.get(1)).toList();
    }

    private Map<String, Object> lastHeaders() {
        List<Map<String, Object>> calls = headerCalls();
        assertThat(calls).isNotEmpty();
        return calls.get(calls.size() - 1);
    }

    private static String standInOffice(String language, List<String> to, String choices, int attachmentSize, String accessToken) {
        String recipients = to.stream().map(a -> "\"" + a + "\"").reduce((a, b) -> a + "," + b).orElse("");
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
                    MailboxEnums: { SendModeOverride: { PromptUser: "promptUser" } },
                    actions: { associate: function (name, handler) {
                      window.associated = name === "onMessageSendHandler"; window.associatedHandler = handler; } },
                    auth: { getAccessToken: function () { return Promise.resolve("%s"); } },
                    context: {
                      displayLanguage: "%s",
                      requirements: { isSetSupported: function () { return false; } },
                      mailbox: { item: {
                        to: addresses([%s]),
                        cc: addresses([]),
                        bcc: addresses([]),
                        sessionData: {
                          getAsync: function (name, cb) { cb(session[name] ? ok(session[name]) : { status: "failed", error: { message: "none" } }); },
                          setAsync: function (name, value, cb) { session[name] = value; cb(ok()); } },
                        internetHeaders: { setAsync: function (headers, cb) {
                          window.officeCalls.push(["internetHeaders.setAsync", headers]); cb(ok()); } },
                        getAttachmentsAsync: function (cb) { cb(ok([
                          { id: "att-1", name: "report.pdf", size: %d, attachmentType: "file", isInline: false }])); }
                      } }
                    }
                  };
                })();
                """.formatted(choices == null ? "{}" : "{ \"sealgate-choices\": " + jsString(choices) + " }", accessToken, language,
                recipients, attachmentSize);
    }

    private static String jsString(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
