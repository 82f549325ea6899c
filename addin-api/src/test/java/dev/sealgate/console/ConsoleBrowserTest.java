package dev.sealgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.enrollment.EnrollmentLog;
import dev.sealgate.enrollment.EnrollmentLogFixtures;
import dev.sealgate.enrollment.EnrollmentRecord;
import dev.sealgate.files.LargeFiles;
import dev.sealgate.smtp.SmtpListener;
import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.testkit.Chromium;
import dev.sealgate.testkit.GatewayUnderTest;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
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
 * The admin console as admins and an auditor use it, in headless Chromium against the running
 * service with real mail through its SMTP side: an admin signed in through OpenID Connect
 * (mock-oauth2-server, the role from a group claim) finds, exports and retries mail in English; the
 * break-glass account, signed in through the form, works in German: policy and dry run, held mail,
 * certificate import, message-flow rules, the support bundle. An auditor reads and changes nothing.
 * Screenshots of every page go to {@code target/console-screenshots/}.
 *
 * <p>The pages render asynchronously: every wait is on an explicit condition (an element with a stable
 * id or data-id, a text, a file), never on time.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ConsoleBrowserTest {

    private static final String KEY = "test-admin-key-console-0123456789";
    private static final String ADMIN_PASSWORD = "break-glass-password-for-the-console";
    private static final String OIDC_CLIENT_SECRET = "console-oidc-client-secret-4711";
    private static final String ISSUER_ID = "corp-idp";
    private static final String CLIENT_ID = "sealgate-console";
    private static final SmtpSink COMPANY = SmtpSink.plain();
    private static final SmtpSink INTERNET = SmtpSink.plain();
    private static final MockOAuth2Server IDP = new MockOAuth2Server();
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final List<String> PAGES = List.of("overview", "tracking", "queues", "held", "events", "certificates", "enrollments",
            "files", "policies", "rules", "audit", "settings");

    static {
        IDP.start();
    }

    @TempDir
    static Path dataDir;

    @TempDir
    Path browserDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayUnderTest.register(registry, () -> dataDir, KEY, "corp.example", COMPANY, INTERNET);
        registry.add("sealgate.admin.bootstrap.username", () -> "breakglass");
        registry.add("sealgate.admin.bootstrap.password", () -> ADMIN_PASSWORD);
        registry.add("sealgate.admin.oidc.issuer-uri", () -> IDP.issuerUrl(ISSUER_ID).toString());
        registry.add("sealgate.admin.oidc.client-id", () -> CLIENT_ID);
        registry.add("sealgate.admin.oidc.client-secret", () -> OIDC_CLIENT_SECRET);
        registry.add("sealgate.admin.oidc.roles-claim", () -> "groups");
        registry.add("sealgate.admin.oidc.role-mapping[sealgate-admins]", () -> "admin");
        registry.add("sealgate.admin.oidc.role-mapping[sealgate-auditors]", () -> "auditor");
    }

    @AfterAll
    static void stop() {
        COMPANY.close();
        INTERNET.close();
        IDP.shutdown();
    }

    @LocalServerPort
    int port;

    @Autowired
    SmtpListener listener;

    @Autowired
    WebTestClient webClient;

    @Autowired
    LargeFiles largeFiles;

    @Autowired
    EnrollmentLog enrollmentLog;

    private ChromeDriver browser;
    private Path downloads;

    @BeforeEach
    void startBrowser(org.junit.jupiter.api.TestInfo info) throws Exception {
        // chromedriver's own log per test, for when a page does not load (see dumpThreads)
        System.setProperty("webdriver.chrome.logfile", Path.of("target", "chromedriver-" + info.getTestMethod().orElseThrow().getName() + ".log").toAbsolutePath().toString());
        System.setProperty("webdriver.chrome.verboseLogging", "true");
        // "defer..." recipients get 451 from the internet's next hop until a test brings it back
        INTERNET.deferFirst(Integer.MAX_VALUE);
        downloads = Files.createDirectories(browserDir.resolve("downloads"));
        // EAGER: a navigation returns when the document is parsed. Under load Chromium sometimes never fired
        // the load event of /login (DOMContentLoaded came, the service had nothing pending, the renderer
        // answered; chromedriver logs in target/), and every step here waits for explicit conditions anyway.
        // The password manager, its leak check and on-device models stay off: /login has a password field.
        browser = Chromium.start(browserDir.resolve("profile"), downloads, "en", org.openqa.selenium.PageLoadStrategy.EAGER,
                "--password-store=basic",
                "--disable-features=PasswordLeakDetection,PasswordManagerOnboarding,AutofillServerCommunication,"
                        + "OptimizationGuideModelDownloading,OptimizationHintsFetching,OptimizationTargetPrediction,"
                        + "OptimizationGuideOnDeviceModel,OnDeviceModelService,Translate,MediaRouter,"
                        + "LocalNetworkAccessChecks,PrivateNetworkAccessSendPreflights",
                "--disable-extensions", "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
                // Chromium calls out by itself (accounts.google.com, update.googleapis.com, the password leak check on
                // submitting /login, start.duckduckgo.com; see the net-log in target/). With no internet here those
                // lookups hang; make every name but localhost fail at once.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1", "--no-pings",
                "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--disable-default-apps",
                "--log-net-log=" + Path.of("target", "netlog-" + info.getTestMethod().orElseThrow().getName() + ".json").toAbsolutePath());
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(90));
        browser.manage().window().setSize(new Dimension(1400, 900));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
        System.clearProperty("webdriver.chrome.logfile");
        System.clearProperty("webdriver.chrome.verboseLogging");
    }

    // ------------------------------------------------------------------ the walks

    @Test
    void shouldLetAnAdminSignedInThroughOidcFindExportAndRetryMail() throws Exception {
        String subject = "console queued " + UUID.randomUUID();
        send("alice@corp.example", "defer-bob@partner.example", subject, "queued body");

        signInThroughOidc("ada.admin@example.org", "sealgate-admins");
        assertThat(browser.findElement(By.id("who")).getText()).contains("admin");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-figure=received] .value")));

        // find the message: search by recipient, open the detail, export it as JSON
        open("tracking", By.id("tracking-search"));
        WebElement recipient = browser.findElement(By.cssSelector("#tracking-search input[name=recipient]"));
        recipient.sendKeys("defer-bob@partner.example");
        String id = search(subject);
        screenshot("en-tracking-search");
        browser.findElement(By.cssSelector("#tracking-results tr[data-id='" + id + "']")).click(); // the search is done: no re-render pending
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("export-json")));
        assertThat(browser.findElement(By.cssSelector("#tracking-fields [data-field=subject]")).getText()).isEqualTo(subject);
        screenshot("en-tracking-detail");
        browser.findElement(By.id("export-json")).click();
        Path exported = downloaded(".json");
        assertThat(Files.readString(exported)).contains(subject, "defer-bob@partner.example", id);

        // retry a queued message: the next hop said 451, it is back, "retry now" delivers at once
        open("queues", By.tagName("h1"));
        By queuedRow = By.cssSelector("tr[data-id='" + id + "']");
        waitForRow("queues", queuedRow);
        screenshot("en-queues-before-retry");
        assertThat(INTERNET.find(m -> m.text().contains(subject))).as("not delivered before the retry").isEmpty();
        INTERNET.deferFirst(0);
        browser.findElement(queuedRow).findElement(By.cssSelector("[data-action=retry]")).click();
        assertThat(INTERNET.await(m -> m.text().contains(subject), 1, Duration.ofSeconds(60)))
                .as("retried mail arrives at the next hop").hasSize(1);

        everyPage("en");
    }

    @Test
    void shouldLetTheBreakGlassAdminChangePoliciesReleaseImportAddRulesAndDownloadABundleInGerman() throws Exception {
        // mail to held-partner.example must be encrypted and waits for a certificate; the sender's side agrees
        // (the stricter side wins, ADR 0041; signing off, or the fresh sender waits for its own enrollment)
        api().put().uri("/api/v1/admin/policies/held-partner.example").header("X-Api-Key", KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("outboundEncryption", "MANDATORY", "missingCertificate", "HOLD")).exchange().expectStatus().isOk();
        api().put().uri("/api/v1/admin/policies/hanna@corp.example").header("X-Api-Key", KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("missingCertificate", "HOLD", "outboundSigning", "NEVER")).exchange().expectStatus().isOk();
        String heldSubject = "console held " + UUID.randomUUID();
        send("hanna@corp.example", "carol@held-partner.example", heldSubject, "held body");

        signIn("breakglass", ADMIN_PASSWORD);
        new Select(browser.findElement(By.id("language"))).selectByValue("de");
        waiting().until(ExpectedConditions.textToBe(By.cssSelector("#nav a[data-page=overview]"), "Übersicht"));

        // change a policy and see the dry run change
        open("policies", By.id("policy-form"));
        assertThat(dryRun("hanna@corp.example", "carol@held-partner.example")).contains("HOLD");
        editPolicy("held-partner.example", "outboundEncryption", "OPPORTUNISTIC");
        String after = dryRun("hanna@corp.example", "carol@held-partner.example");
        assertThat(after).contains("PLAIN").doesNotContain("HOLD");
        api().get().uri("/api/v1/admin/policies/held-partner.example").header("X-Api-Key", KEY).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.stored.missingCertificate").isEqualTo("HOLD"); // the field the form did not change stays
        screenshot("de-policies-dry-run");

        // release the held message: under the changed policy it goes out, in plain
        By heldRow = By.xpath("//tr[td[contains(., '" + heldSubject + "')]]");
        open("held", By.tagName("h1"));
        waitForRow("held", heldRow);
        screenshot("de-held-before-release");
        browser.findElement(heldRow).findElement(By.cssSelector("[data-action=release]")).click();
        assertThat(INTERNET.await(m -> m.text().contains(heldSubject), 1, Duration.ofSeconds(60)))
                .as("released mail arrives").hasSize(1);
        waiting().until(ExpectedConditions.invisibilityOfElementLocated(heldRow));

        // import certificates: a CA certificate as a partner's (warned), a PKCS#12 file with its password
        Path ca = openssl("ca.pem", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "20",
                "-keyout", browserDir.resolve("ca.key").toString(), "-out", browserDir.resolve("ca.pem").toString(),
                "-subj", "/CN=Console Partner CA");
        open("certificates", By.id("certificate-import"));
        importCertificate(ca, null);
        String warning = waiting().until(d -> {
            List<WebElement> box = d.findElements(By.cssSelector("#message .warning"));
            return box.isEmpty() ? null : box.get(0).getText();
        });
        assertThat(warning).contains("Console Partner CA", "CA");
        assertThat(warning).as("the API's warning, worded in the console's language by its code")
                .contains("Zertifizierungsstelle", "Vertrauensanker").doesNotContain("cannot be used to encrypt", "imported as a partner");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.xpath("//tr[td[contains(., 'CN=Console Partner CA')]]")));
        assertThat(browser.findElement(By.xpath("//tr[td[contains(., 'CN=Console Partner CA')]]")).getText())
                .as("the list in German too").contains("Zwischenzertifizierungsstelle", "importiert").doesNotContain("imported", "INTERMEDIATE");
        screenshot("de-certificates-ca-warning");
        browser.findElement(By.xpath("//tr[td[contains(., 'CN=Console Partner CA')]]//a[@data-certificate]")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("certificate-chain")));
        assertThat(browser.findElement(By.id("certificate-fields")).getText()).contains("Herkunft", "importiert", "breakglass")
                .contains("Zwischenzertifizierungsstelle").doesNotContain("Came from", "imported");
        assertThat(browser.findElement(By.id("chain-verdict")).getText()).startsWith("Keine Kette zu einem Vertrauensanker")
                .contains("Console Partner CA", "kein Vertrauensanker").doesNotContain("which is not a trust anchor");
        screenshot("de-certificate-detail");
        open("certificates", By.id("certificate-import"));

        openssl("dora.pem", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "20",
                "-keyout", browserDir.resolve("dora.key").toString(), "-out", browserDir.resolve("dora.pem").toString(),
                "-subj", "/CN=Console Dora/emailAddress=dora@corp.example", "-addext", "basicConstraints=critical,CA:FALSE",
                "-addext", "keyUsage=critical,digitalSignature,keyEncipherment", "-addext", "subjectAltName=email:dora@corp.example");
        Path p12 = openssl("dora.p12", "pkcs12", "-export", "-in", browserDir.resolve("dora.pem").toString(),
                "-inkey", browserDir.resolve("dora.key").toString(), "-out", browserDir.resolve("dora.p12").toString(),
                "-passout", "pass:p12-password-for-dora");
        importCertificate(p12, "p12-password-for-dora");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.xpath("//tr[td[contains(., 'CN=Console Dora')]]")));
        assertThat(api().get().uri("/api/v1/admin/events?severity=WARNING&source=certificates").header("X-Api-Key", KEY).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                .as("a key pair for an own address is no CA certificate: no warning").contains("Console Partner CA").doesNotContain("Console Dora");
        screenshot("de-certificates-imported");

        // add a message-flow rule, see the dry run name it, and mail follow it
        String rule = "Konsole: Partner zuerst";
        open("rules", By.id("rule-form"));
        WebElement form = browser.findElement(By.id("rule-form"));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", rule);
        fields.put("position", "1");
        fields.put("senderPattern", "own");
        fields.put("recipientPattern", "*@rules-partner.example");
        fields.put("clientRanges", "company");
        fields.forEach((name, value) -> form.findElement(By.name(name)).sendKeys(value));
        new Select(form.findElement(By.name("direction"))).selectByValue("OUTBOUND");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-id='" + rule + "']")));
        screenshot("de-rules-added");
        open("policies", By.id("policy-form"));
        // each node reads the rule set again within 5 s; the dry run asks the same relay decision as SMTP
        waiting().until(d -> dryRun("alice@corp.example", "dave@rules-partner.example").contains(rule));
        String ruled = "console rule " + UUID.randomUUID();
        send("alice@corp.example", "dave@rules-partner.example", ruled, "rule body");
        assertThat(INTERNET.await(m -> m.text().contains(ruled), 1, Duration.ofSeconds(60))).hasSize(1);
        open("tracking", By.id("tracking-search"));
        String ruledId = search(ruled);
        browser.get(url("/console/#/tracking/" + ruledId));
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("tracking-fields")));
        waiting().until(ExpectedConditions.textToBe(By.cssSelector("#tracking-fields [data-field=rule]"), rule));
        screenshot("de-tracking-detail");

        // the support bundle: what support asks for, no secret
        open("settings", By.id("support-bundle"));
        browser.findElement(By.id("support-bundle")).click();
        Map<String, String> bundle = unzip(downloaded(".zip"));
        assertThat(bundle).containsKeys("summary.txt", "settings.json", "events.json", "queues.json", "queued-messages.json",
                "held.json", "log-tail.txt");
        assertThat(bundle.get("events.json")).contains("Imported");
        assertThat(String.join("\n", bundle.values())).doesNotContain(ADMIN_PASSWORD, KEY, OIDC_CLIENT_SECRET, "p12-password-for-dora");

        everyPage("de");
    }

    @Test
    void shouldLetAnAdminRevokeALinkRetryAFailedEnrollmentAndBounceQueuedMail() throws Exception {
        String owner = "fiona-" + UUID.randomUUID().toString().substring(0, 8) + "@corp.example";
        LargeFiles.CreatedLink link = largeFiles.share(new ByteArrayInputStream("quarterly figures".getBytes(StandardCharsets.UTF_8)),
                "figures.xlsx", "application/octet-stream", owner, new LargeFiles.LinkOptions(Duration.ofDays(3), null, 5));
        EnrollmentRecord failed = EnrollmentLogFixtures.failedRequest(enrollmentLog, "gregor@corp.example", "local",
                "the CA was down for maintenance");
        String subject = "console bounce " + UUID.randomUUID();
        send("alice@corp.example", "defer-hugo@partner.example", subject, "bounce body");

        signIn("breakglass", ADMIN_PASSWORD);
        assertThat(fetchStatus("GET", "/portal/d/" + link.token(), null)).as("the link works before").isEqualTo(200);

        // revoke a large-file link: the recipient's download stops
        open("files", By.id("files-filter"));
        browser.findElement(By.id("files-owner")).sendKeys(owner);
        WebElement unfiltered = browser.findElement(By.cssSelector("#files-results > *"));
        browser.findElement(By.id("files-search")).click();
        // the search's own rows: the page's first list has the link too, and its button went stale under the click
        waiting().until(ExpectedConditions.stalenessOf(unfiltered));
        By revoke = By.id("revoke-link-" + link.linkId());
        waiting().until(ExpectedConditions.elementToBeClickable(revoke)).click();
        waiting().until(ExpectedConditions.alertIsPresent()).accept();
        waiting().until(ExpectedConditions.invisibilityOfElementLocated(revoke));
        assertThat(browser.findElement(By.cssSelector("tr[data-id='" + link.linkId() + "']")).getText()).contains("revoked");
        screenshot("en-files-revoked");
        assertThat(fetchStatus("GET", "/portal/d/" + link.token(), null)).as("the link is dead after").isBetween(400, 499);

        // retry a failed enrollment: a new request, which the local CA answers
        open("enrollments", By.id("enrollment-filter"));
        By retry = By.id("retry-enrollment-" + failed.id());
        waiting().until(ExpectedConditions.elementToBeClickable(retry)).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//div[@id='enrollment-results']//tr[td[contains(., 'gregor@corp.example')] and td[contains(., 'Succeeded')]]")));
        screenshot("en-enrollments-retried");

        // bounce a queued message: it leaves the queue and its sender gets a non-delivery report
        open("queues", By.tagName("h1"));
        By row = By.xpath("//tr[td[contains(., '" + subject + "')]]");
        waitForRow("queues", row);
        browser.findElement(row).findElement(By.cssSelector("[data-action=bounce]")).click();
        org.openqa.selenium.Alert prompt = waiting().until(ExpectedConditions.alertIsPresent());
        prompt.sendKeys("partner mailbox gone");
        prompt.accept();
        assertThat(COMPANY.await(m -> m.recipients().contains("alice@corp.example") && m.text().contains(subject), 1,
                Duration.ofSeconds(60))).as("the sender's non-delivery report").hasSize(1);
        waiting().until(d -> {
            d.navigate().refresh();
            waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#view[data-rendered=queues]")));
            return d.findElements(row).isEmpty();
        });
        screenshot("en-queues-after-bounce");
    }

    @Test
    void shouldShowTheEventsOfAMessageAndWhereACertificateCameFromWithItsChain() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String subject = "console broken smime " + tag;
        String messageId = "<broken-" + tag + "@partner.example>";
        sendMalformedSmime("petra@partner.example", "bob@corp.example", subject, messageId);
        String id = api().get().uri(b -> b.path("/api/v1/admin/tracking").queryParam("messageId", messageId).build())
                .header("X-Api-Key", KEY).exchange().expectStatus().isOk()
                .expectBody(new org.springframework.core.ParameterizedTypeReference<List<Map<String, Object>>>() { })
                .returnResult().getResponseBody().get(0).get("id").toString();

        signIn("breakglass", ADMIN_PASSWORD);
        // the tracking detail lists what went wrong with this message, from the event log
        open("tracking/" + id, By.id("tracking-events"));
        assertThat(browser.findElement(By.cssSelector("#tracking-fields [data-field=subject]")).getText()).isEqualTo(subject);
        WebElement events = browser.findElement(By.id("tracking-events"));
        assertThat(events.getText()).contains("petra@partner.example", "S/MIME content cannot be processed", "Warning");
        screenshot("en-tracking-detail-events");
        browser.findElement(By.id("export-json")).click();
        assertThat(Files.readString(downloaded(".json"))).as("the export holds the message's events")
                .contains("\"events\"", "S/MIME content cannot be processed", "\"trackingId\"", id);

        // and the event log, filtered by that message, shows the same entry and leads back to the message
        browser.findElement(By.id("message-events-link")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#events-results a[data-tracking-id='" + id + "']")));
        assertThat(browser.findElement(By.id("events-message")).getAttribute("value")).isEqualTo(id);
        assertThat(browser.findElements(By.cssSelector("#events-results tbody tr"))).as("only this message's events").hasSize(1);
        screenshot("en-events-of-a-message");
        browser.findElement(By.cssSelector("#events-results a[data-tracking-id='" + id + "']")).click();
        waiting().until(ExpectedConditions.textToBe(By.cssSelector("#tracking-fields [data-field=id]"), id));

        // import a root as trust anchor, a partner certificate it issued, and one nobody trusted issued
        Files.writeString(browserDir.resolve("partner.ext"), "basicConstraints=critical,CA:FALSE\n"
                + "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=emailProtection\n"
                + "subjectAltName=email:paula@partner.example\n");
        Path root = openssl("root.pem", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                "-keyout", browserDir.resolve("root.key").toString(), "-out", browserDir.resolve("root.pem").toString(),
                "-subj", "/CN=Console Chain Root", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl("paula.csr", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", browserDir.resolve("paula.key").toString(),
                "-out", browserDir.resolve("paula.csr").toString(), "-subj", "/CN=Console Chain Paula/emailAddress=paula@partner.example");
        Path paula = openssl("paula.pem", "x509", "-req", "-in", browserDir.resolve("paula.csr").toString(), "-CA", root.toString(),
                "-CAkey", browserDir.resolve("root.key").toString(), "-CAcreateserial", "-days", "20",
                "-extfile", browserDir.resolve("partner.ext").toString(), "-out", browserDir.resolve("paula.pem").toString());
        Files.writeString(browserDir.resolve("stray.ext"), "basicConstraints=critical,CA:FALSE\n"
                + "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=emailProtection\n"
                + "subjectAltName=email:sam@partner.example\n");
        openssl("stray-root.pem", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                "-keyout", browserDir.resolve("stray-root.key").toString(), "-out", browserDir.resolve("stray-root.pem").toString(),
                "-subj", "/CN=Console Stray Root", "-addext", "basicConstraints=critical,CA:TRUE");
        openssl("stray.csr", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", browserDir.resolve("stray.key").toString(),
                "-out", browserDir.resolve("stray.csr").toString(), "-subj", "/CN=Console Stray Sam/emailAddress=sam@partner.example");
        Path stray = openssl("stray.pem", "x509", "-req", "-in", browserDir.resolve("stray.csr").toString(),
                "-CA", browserDir.resolve("stray-root.pem").toString(), "-CAkey", browserDir.resolve("stray-root.key").toString(),
                "-CAcreateserial", "-days", "20", "-extfile", browserDir.resolve("stray.ext").toString(),
                "-out", browserDir.resolve("stray.pem").toString());

        open("certificates", By.id("certificate-import"));
        importCertificate(root, null, "ANCHOR");
        By rootRow = By.xpath("//tr[td[contains(., 'CN=Console Chain Root')]]");
        waiting().until(ExpectedConditions.presenceOfElementLocated(rootRow));
        importCertificate(paula, null, "PARTNER");
        By paulaRow = By.xpath("//tr[td[contains(., 'CN=Console Chain Paula')]]");
        waiting().until(ExpectedConditions.presenceOfElementLocated(paulaRow));
        assertThat(browser.findElement(paulaRow).getText()).contains("imported").doesNotContain("IMPORTED");
        browser.findElement(paulaRow).findElement(By.cssSelector("a[data-certificate]")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("certificate-chain")));
        assertThat(browser.findElement(By.cssSelector("#certificate-fields [data-field=originLabel]")).getText())
                .as("imported, and by whom").contains("imported", "breakglass");
        assertThat(browser.findElement(By.id("chain-verdict")).getText()).isEqualTo("Chains to a trust anchor");
        List<WebElement> chain = browser.findElements(By.cssSelector("#certificate-chain tbody tr"));
        assertThat(chain).hasSize(2);
        assertThat(chain.get(0).getText()).contains("Console Chain Paula", "CN=Console Chain Root", "valid");
        assertThat(chain.get(1).getText()).contains("Console Chain Root", "trust anchor");
        screenshot("en-certificate-chain");

        open("certificates", By.id("certificate-import"));
        importCertificate(stray, null, "PARTNER");
        By strayRow = By.xpath("//tr[td[contains(., 'CN=Console Stray Sam')]]");
        waiting().until(ExpectedConditions.presenceOfElementLocated(strayRow));
        browser.findElement(strayRow).findElement(By.cssSelector("a[data-certificate]")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("certificate-chain")));
        assertThat(browser.findElement(By.id("chain-verdict")).getText()).startsWith("No chain to a trust anchor")
                .contains("Console Stray Root", "import the issuing CA");
        assertThat(api().get().uri("/api/v1/admin/certificates?q=Console Stray Sam").header("X-Api-Key", KEY).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                .as("imported by whom, through the console").contains("\"origin\":\"IMPORTED\"", "breakglass (password)");
        screenshot("en-certificate-no-chain");
    }

    @Test
    void shouldLetAnAuditorReadButChangeNothingAndSeeNoMessageContent() throws Exception {
        api().post().uri("/api/v1/admin/accounts").header("X-Api-Key", KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "auditor-anna", "password", "auditor-password-42", "role", "auditor"))
                .exchange().expectStatus().isCreated();
        LargeFiles.CreatedLink link = largeFiles.share(new ByteArrayInputStream("audit figures".getBytes(StandardCharsets.UTF_8)),
                "audit.xlsx", "application/octet-stream", "ida@corp.example", new LargeFiles.LinkOptions(Duration.ofDays(3), null, null));
        String subject = "console audited " + UUID.randomUUID();
        String body = "confidential body " + UUID.randomUUID();
        send("alice@corp.example", "erin@partner.example", subject, body);
        assertThat(INTERNET.await(m -> m.text().contains(subject), 1, Duration.ofSeconds(60))).hasSize(1);

        String id = api().get().uri(b -> b.path("/api/v1/admin/tracking").queryParam("subject", subject).build())
                .header("X-Api-Key", KEY).exchange().expectStatus().isOk()
                .expectBody(new org.springframework.core.ParameterizedTypeReference<List<Map<String, Object>>>() { })
                .returnResult().getResponseBody().get(0).get("id").toString();

        signIn("auditor-anna", "auditor-password-42");
        open("tracking", By.id("tracking-search"));
        // each round waits for the rows of its own search (data-search), as search(..) does: a row found before
        // an earlier round's answer re-rendered the table was gone (stale) when its text was read
        String row = waiting().ignoring(StaleElementReferenceException.class).until(d -> {
            String before = d.findElement(By.id("tracking-results")).getAttribute("data-search");
            d.findElement(By.cssSelector("#tracking-search button[type=submit]")).click();
            waiting().until(x -> !java.util.Objects.equals(before, x.findElement(By.id("tracking-results")).getAttribute("data-search")));
            List<WebElement> rows = d.findElements(By.cssSelector("#tracking-results tr[data-id='" + id + "']"));
            return rows.isEmpty() ? null : rows.get(0).getText();
        });
        assertThat(row).as("the path of the mail, not its subject").contains("alice@corp.example").doesNotContain(subject);
        browser.get(url("/console/#/tracking/" + id));
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("tracking-fields")));
        assertThat(browser.getPageSource()).as("no message content on the detail page").doesNotContain(body).doesNotContain(subject);
        screenshot("en-tracking-detail-auditor");
        assertThat(fetchStatus("GET", "/api/v1/admin/tracking?subject=" + subject.substring(0, 15).replace(' ', '+'), null))
                .as("no search by subject for an auditor").isEqualTo(403);

        open("held", By.tagName("h1"));
        assertThat(browser.findElements(By.cssSelector("[data-action=release]"))).isEmpty();
        open("queues", By.tagName("h1"));
        assertThat(browser.findElements(By.cssSelector("[data-action=retry]"))).isEmpty();
        open("certificates", By.tagName("h1"));
        assertThat(browser.findElements(By.id("certificate-import"))).isEmpty();
        screenshot("en-certificates-auditor");
        open("rules", By.tagName("h1"));
        assertThat(browser.findElements(By.id("rule-form"))).isEmpty();
        open("policies", By.id("policy-form"));
        assertThat(browser.findElements(By.cssSelector("#policy-form button[type=submit]"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#policy-form select:not([disabled])"))).isEmpty();
        open("settings", By.tagName("h1"));
        assertThat(browser.findElements(By.id("support-bundle"))).isEmpty();
        open("files", By.id("files-filter"));
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-id='" + link.linkId() + "']")));
        assertThat(browser.findElements(By.cssSelector("[data-action=revoke]"))).isEmpty();

        assertThat(fetchStatus("PUT", "/api/v1/admin/policies/global", "{\"outboundEncryption\":\"NEVER\"}"))
                .as("the server refuses, not only the page").isEqualTo(403);
        assertThat(fetchStatus("POST", "/api/v1/admin/queues/messages/" + id + "/retry", null)).isEqualTo(403);
        assertThat(fetchStatus("GET", "/api/v1/admin/support-bundle", null)).as("the bundle holds the log tail").isEqualTo(403);
    }

    // ------------------------------------------------------------------ helpers

    private WebTestClient api() {
        return webClient.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    private WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.pollingEvery(Duration.ofMillis(250));
        return wait;
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private void send(String from, String to, String subject, String body) throws Exception {
        Session session = Session.getInstance(new Properties());
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText(body);
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("127.0.0.1", listener.port(), null, null);
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    /** A partner's mail whose S/MIME body is no CMS: the gateway refuses it after DATA (550) and raises an event for it. */
    private void sendMalformedSmime(String from, String to, String subject, String messageId) throws Exception {
        Properties p = new Properties();
        p.setProperty("mail.smtp.localaddress", "127.0.0.2"); // "the internet": inbound
        p.setProperty("mail.smtp.from", from);
        Session session = Session.getInstance(p);
        String raw = "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: " + messageId
                + "\r\nMIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nTm90IENNUyBhdCBhbGwsIGp1c3QgdGV4dA==\r\n";
        MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("127.0.0.1", listener.port(), null, null);
            transport.sendMessage(message, new InternetAddress[] {new InternetAddress(to)});
            throw new AssertionError("the gateway took a message whose S/MIME content is no CMS");
        } catch (jakarta.mail.SendFailedException refused) {
            assertThat(refused.getMessage() + refused.getNextException()).contains("550");
        }
    }

    private void signIn(String username, String password) throws Exception {
        try {
            browser.get(url("/console/"));
        } catch (TimeoutException e) {
            dumpThreads("signin");
            throw new AssertionError("the console did not load; the browser is at " + browser.getCurrentUrl(), e);
        }
        try {
            waiting().until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
        } catch (TimeoutException e) {
            throw new AssertionError("no sign-in form at " + browser.getCurrentUrl() + ":\n" + browser.getPageSource(), e);
        }
        assertThat(fetchStatus("GET", "/default-ui.css", null)).as("the sign-in page's stylesheet is served").isEqualTo(200);
        browser.findElement(By.name("username")).sendKeys(username);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), username));
    }

    /** Through the sign-in page's link to the identity provider, which knows the user (and groups) the test enqueued. */
    private void signInThroughOidc(String user, String group) {
        IDP.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "sub-" + user, "JWT", List.of(CLIENT_ID),
                Map.of("preferred_username", user, "groups", List.of(group, "unrelated-group")), 3600));
        try {
            browser.get(url("/console/"));
        } catch (TimeoutException e) {
            dumpThreads("oidc");
            throw new AssertionError("the console did not load; the browser is at " + browser.getCurrentUrl(), e);
        }
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("a[href*='/oauth2/authorization/']"))).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), user));
        assertThat(browser.getCurrentUrl()).startsWith(url("/console/"));
    }

    private void open(String page, By readyWhen) {
        browser.get(url("/console/#/" + page));
        try {
            // the console marks the view once this page has its data; before, the last page may still show
            waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#view[data-rendered=" + page.split("/")[0] + "]")));
            waiting().until(ExpectedConditions.presenceOfElementLocated(readyWhen));
        } catch (TimeoutException e) {
            throw new AssertionError("page " + page + " did not render; the console said: '"
                    + browser.findElement(By.id("message")).getText() + "'", e);
        }
    }

    /** The queue and held pages show what was there when they opened: open again until the row is there. */
    private void waitForRow(String page, By row) {
        waiting().until(d -> {
            if (!d.findElements(row).isEmpty()) {
                return true;
            }
            d.navigate().refresh();
            waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#view[data-rendered=" + page + "]")));
            return !d.findElements(row).isEmpty();
        });
    }

    /**
     * Searches on the tracking page (its form filled already) until a row with the text is listed, and
     * returns the message's id. Each round waits for the rows of its own search (data-search).
     */
    private String search(String text) {
        return waiting().until(d -> {
            String before = d.findElement(By.id("tracking-results")).getAttribute("data-search");
            d.findElement(By.cssSelector("#tracking-search button[type=submit]")).click();
            waiting().until(x -> !java.util.Objects.equals(before, x.findElement(By.id("tracking-results")).getAttribute("data-search")));
            List<WebElement> rows = d.findElements(By.xpath("//div[@id='tracking-results']//tr[td[contains(., '" + text + "')]]"));
            return rows.isEmpty() ? null : rows.get(0).getAttribute("data-id");
        });
    }

    private String dryRun(String sender, String recipient) {
        WebElement form = browser.findElement(By.id("dry-run"));
        WebElement senderField = form.findElement(By.name("sender"));
        senderField.clear();
        senderField.sendKeys(sender);
        WebElement recipients = form.findElement(By.name("recipients"));
        recipients.clear();
        recipients.sendKeys(recipient);
        WebElement client = form.findElement(By.name("client"));
        client.clear();
        client.sendKeys("127.0.0.1");
        browser.executeScript("document.getElementById('dry-run-result').replaceChildren()");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        return waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#dry-run-result table"))).getText();
    }

    private void editPolicy(String scope, String field, String value) {
        browser.findElement(By.id("policy-scope")).sendKeys(scope);
        browser.findElement(By.xpath("//form[.//input[@id='policy-scope']]//button[@type='submit']")).click();
        waiting().until(ExpectedConditions.textToBe(By.cssSelector("#policy-form strong"), scope));
        new Select(browser.findElement(By.cssSelector("#policy-form select[name=" + field + "]"))).selectByValue(value);
        browser.findElement(By.cssSelector("#policy-form button[type=submit]")).click();
        // saved: the page opens again on this scope, showing the value as set here
        waiting().ignoring(StaleElementReferenceException.class).until(d -> {
            List<WebElement> rows = d.findElements(By.xpath("//tr[td[1][normalize-space()='" + scope + "']]"));
            return !rows.isEmpty() && rows.get(0).getText().contains(value);
        });
    }

    private void importCertificate(Path file, String password) {
        importCertificate(file, password, "PARTNER");
    }

    private void importCertificate(Path file, String password, String kind) {
        WebElement form = browser.findElement(By.id("certificate-import"));
        form.findElement(By.cssSelector("input[type=file]")).sendKeys(file.toAbsolutePath().toString());
        new Select(form.findElement(By.name("kind"))).selectByValue(kind);
        if (password != null) {
            form.findElement(By.name("password")).sendKeys(password);
        }
        form.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private Path openssl(String result, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0).as("openssl: " + output).isTrue();
        return browserDir.resolve(result);
    }

    /** The one finished download ending in {@code suffix} (Chromium writes .crdownload first, then renames). */
    private Path downloaded(String suffix) {
        return waiting().until(d -> {
            try (var files = Files.list(downloads)) {
                return files.filter(f -> f.getFileName().toString().endsWith(suffix)).findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        });
    }

    private static void dumpThreads(String name) {
        StringBuilder out = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            out.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
            for (StackTraceElement element : stack) {
                out.append("    at ").append(element).append('\n');
            }
        });
        try {
            Files.writeString(Path.of("target", "threads-" + name + "-" + System.currentTimeMillis() + ".txt"), out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, String> unzip(Path zip) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entriesIn = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = entriesIn.getNextEntry()) != null; ) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                entriesIn.transferTo(bytes);
                entries.put(entry.getName(), bytes.toString(StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    private int fetchStatus(String method, String path, String json) {
        Object status = browser.executeAsyncScript("""
                const [method, path, body, done] = arguments;
                const token = (document.cookie.match(/XSRF-TOKEN=([^;]+)/) || [])[1];
                fetch(path, {method, credentials: 'same-origin',
                  headers: {'Content-Type': 'application/json', 'X-XSRF-TOKEN': decodeURIComponent(token || '')},
                  body: body ?? undefined}).then(r => done(r.status));
                """, method, path, json);
        return ((Number) status).intValue();
    }

    /** Opens every page in the current language, checks it rendered without an error, and saves a screenshot. */
    private void everyPage(String language) throws Exception {
        for (String page : PAGES) {
            open(page, By.cssSelector("#view h1"));
            assertThat(browser.findElements(By.cssSelector("#message .error"))).as("page " + page).isEmpty();
            screenshot(language + "-" + page);
        }
    }

    /** The whole page, not only the window (Chromium's DevTools protocol; WebDriver's own shot stops at the window). */
    @SuppressWarnings("unchecked")
    private void screenshot(String name) throws Exception {
        Map<String, Object> metrics = browser.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Map<String, Object> content = (Map<String, Object>) metrics.get("cssContentSize");
        double width = ((Number) content.get("width")).doubleValue();
        double height = Math.min(((Number) content.get("height")).doubleValue(), 6000);
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        Files.write(SCREENSHOTS.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
    }
}
