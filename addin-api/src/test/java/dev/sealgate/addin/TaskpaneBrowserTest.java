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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
 * The task pane's logic in real headless Chromium against the running service, with a stand-in
 * {@code Office} object (served where Office.js would come from) that records every call.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class TaskpaneBrowserTest {

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
        registry.add("sealgate.addin.sign-by-default", () -> "true");
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

    @Autowired
    WebTestClient client;

    private ChromeDriver browser;

    @BeforeEach
    void start() {
        officeCdn.stubFor(WireMock.get("/lib/1/hosted/office.js").willReturn(WireMock.ok(standInOffice(idp.token("alice@example.org")))
                .withHeader("Content-Type", "application/javascript")));
        browser = Chromium.start(browserDir.resolve("profile"), browserDir.resolve("downloads"));
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void shouldSetAVerifiableFlagsHeaderAndUpdateItWhenTheUserTogglesEncrypt() {
        openTaskpane();

        MessageFlags initial = flags(lastHeaderToken());
        assertThat(initial).isEqualTo(new MessageFlags(false, true, false));

        browser.findElement(By.id("encrypt")).click();
        waiting().until(d -> headerCalls().size() >= 2);

        assertThat(flags(lastHeaderToken())).isEqualTo(new MessageFlags(true, true, false));
    }

    @Test
    void shouldShowWhatHappensToEachRecipient() {
        openTaskpane();

        assertThat(browser.findElement(By.cssSelector("#recipients li[data-address='bob@example.org']")).getAttribute("class"))
                .isEqualTo("ENCRYPTED");
        assertThat(browser.findElement(By.cssSelector("#recipients li[data-address='carol@partner.example']")).getText())
                .contains("external").contains("no certificate").contains("REJECTED");
    }

    @Test
    void shouldReplaceOnlyLargeAttachmentsByDownloadLinks() {
        openTaskpane();

        browser.findElement(By.id("large-files")).click();
        waiting().until(d -> calls().stream().anyMatch(c -> c.get(0).equals("body.prependAsync")));

        assertThat(calls()).anySatisfy(c -> assertThat(c).containsExactly("removeAttachmentAsync", "att-big"));
        assertThat(calls()).noneSatisfy(c -> assertThat(c).containsExactly("removeAttachmentAsync", "att-small"));
        String html = (String) calls().stream().filter(c -> c.get(0).equals("body.prependAsync")).findFirst().orElseThrow().get(1);
        String path = html.substring(html.indexOf("/portal/d/"), html.indexOf('"', html.indexOf("/portal/d/")));
        byte[] downloaded = client.post().uri(path).contentType(MediaType.APPLICATION_FORM_URLENCODED).bodyValue("password=")
                .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(new String(downloaded)).isEqualTo("x".repeat(3000));
        assertThat(flags(lastHeaderToken()).largeFiles()).isTrue();
    }

    @Test
    void shouldUploadWithTheChosenPasswordAndLimitAndLetTheUserRevokeTheirLink() {
        openTaskpane();
        browser.findElement(By.id("link-password")).sendKeys("s3cret-Passw0rd");
        browser.findElement(By.id("link-max-downloads")).sendKeys("1");

        browser.findElement(By.id("large-files")).click();
        waiting().until(d -> calls().stream().anyMatch(c -> c.get(0).equals("body.prependAsync")));

        Map<String, Object> link = links("alice@example.org").stream()
                .filter(l -> Boolean.TRUE.equals(l.get("passwordProtected"))).findFirst().orElseThrow();
        assertThat(link).containsEntry("name", "big.bin").containsEntry("maxDownloads", 1).containsEntry("revokedAt", null);
        String revoke = "#links li[data-link='" + link.get("id") + "'] button.revoke";

        browser.findElement(By.id("show-links")).click();
        waiting().until(d -> !d.findElements(By.cssSelector(revoke)).isEmpty());
        browser.findElement(By.cssSelector(revoke)).click();
        waiting().until(d -> d.findElements(By.cssSelector(revoke)).isEmpty());

        assertThat(browser.findElement(By.cssSelector("#links li[data-link='" + link.get("id") + "']")).getText()).endsWith("revoked");
        assertThat(links("alice@example.org")).filteredOn(l -> l.get("id").equals(link.get("id")))
                .singleElement().satisfies(l -> assertThat(l.get("revokedAt")).isNotNull());
        assertThat(links("bob@example.org")).isEmpty();
    }

    @Test
    void shouldKeepTheAttachmentWhenTheChosenExpiryIsBeyondThePolicysLimit() {
        openTaskpane();
        int linksBefore = links("alice@example.org").size();
        assertThat(browser.findElement(By.id("link-expiry")).getAttribute("max")).isEqualTo("90");
        browser.findElement(By.id("link-expiry")).clear();
        browser.findElement(By.id("link-expiry")).sendKeys("365");

        browser.findElement(By.id("large-files")).click();
        waiting().until(d -> "error".equals(d.findElement(By.id("status")).getAttribute("class")));

        assertThat(browser.findElement(By.id("status")).getText()).contains("between 1 and 90");
        assertThat(calls()).noneSatisfy(c -> assertThat(c.get(0)).isIn("removeAttachmentAsync", "body.prependAsync"));
        assertThat(links("alice@example.org")).hasSize(linksBefore);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> links(String user) {
        return client.get().uri("/api/v1/files/links").headers(h -> h.setBearerAuth(idp.token(user))).exchange()
                .expectStatus().isOk().expectBodyList(Map.class).returnResult().getResponseBody().stream()
                .map(m -> (Map<String, Object>) m).toList();
    }

    @Test
    void shouldInsertAReplyLinkThatOpensTheReplyPage() {
        openTaskpane();

        browser.findElement(By.id("reply-link")).click();
        waiting().until(d -> calls().stream().anyMatch(c -> c.get(0).equals("body.prependAsync")));

        String html = (String) calls().stream().filter(c -> c.get(0).equals("body.prependAsync")).findFirst().orElseThrow().get(1);
        String path = html.substring(html.indexOf("/portal/r/"), html.indexOf('"', html.indexOf("/portal/r/")));
        browser.get("http://localhost:" + port + path);
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("alice@example.org");
    }

    private void openTaskpane() {
        browser.get("http://localhost:" + port + "/addin/taskpane.html");
        waiting().until(d -> "ready".equals(d.findElement(By.id("status")).getText())
                && d.findElements(By.cssSelector("#recipients li")).size() == 2);
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @SuppressWarnings("unchecked")
    private List<List<Object>> calls() {
        return (List<List<Object>>) browser.executeScript("return window.officeCalls;");
    }

    private List<List<Object>> headerCalls() {
        return calls().stream().filter(c -> c.get(0).equals("internetHeaders.setAsync")).toList();
    }

    @SuppressWarnings("unchecked")
    private String lastHeaderToken() {
        List<List<Object>> headerCalls = headerCalls();
        Map<String, Object> headers = (Map<String, Object>) headerCalls.get(headerCalls.size() - 1).get(1);
        return (String) headers.get("X-Sealgate-Flags");
    }

    private MessageFlags flags(String token) {
        FlagsVerification result = verifier.verify(token, "alice@example.org", List.of("alice@example.org"), null);
        assertThat(result).isInstanceOf(FlagsVerification.Valid.class);
        return ((FlagsVerification.Valid) result).flags();
    }

    private static String standInOffice(String accessToken) {
        return """
                window.officeCalls = [];
                (function () {
                  function ok(value) { return { status: "succeeded", value: value }; }
                  function addresses(list) {
                    return { getAsync: function (cb) { cb(ok(list.map(function (a) { return { emailAddress: a }; }))); } };
                  }
                  window.Office = {
                    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
                    CoercionType: { Html: "html", Text: "text" },
                    onReady: function (cb) { setTimeout(function () { cb({ host: "Outlook" }); }, 0); },
                    auth: { getAccessToken: function () { return Promise.resolve("%s"); } },
                    context: { mailbox: { item: {
                      to: addresses(["bob@example.org"]),
                      cc: addresses(["carol@partner.example"]),
                      bcc: addresses([]),
                      internetHeaders: { setAsync: function (headers, cb) {
                        window.officeCalls.push(["internetHeaders.setAsync", headers]); cb(ok()); } },
                      getAttachmentsAsync: function (cb) { cb(ok([
                        { id: "att-big", name: "big.bin", size: 3000, attachmentType: "file", isInline: false },
                        { id: "att-small", name: "small.txt", size: 10, attachmentType: "file", isInline: false }])); },
                      getAttachmentContentAsync: function (id, cb) {
                        window.officeCalls.push(["getAttachmentContentAsync", id]);
                        cb(ok({ format: "base64", content: btoa("x".repeat(3000)) })); },
                      removeAttachmentAsync: function (id, cb) {
                        window.officeCalls.push(["removeAttachmentAsync", id]); cb(ok()); },
                      body: { prependAsync: function (html, options, cb) {
                        window.officeCalls.push(["body.prependAsync", html]); cb(ok()); } }
                    } } }
                  };
                })();
                """.formatted(accessToken);
    }
}
