package dev.sealgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.testkit.Chromium;
import dev.sealgate.testkit.GatewayUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
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
 * The admin console as an admin and an auditor use it: signed in through the form, in headless
 * Chromium, against the running service with real mail in its queues. Screenshots of every page go
 * to {@code target/console-screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ConsoleBrowserTest {

    private static final String KEY = "test-admin-key-console-0123456789";
    private static final String ADMIN_PASSWORD = "break-glass-password-for-the-console";
    private static final SmtpSink COMPANY = SmtpSink.plain();
    private static final SmtpSink INTERNET = SmtpSink.plain();
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    static {
        INTERNET.deferFirst(Integer.MAX_VALUE);
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
    }

    @AfterAll
    static void stop() {
        COMPANY.close();
        INTERNET.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient webClient;

    private ChromeDriver browser;
    private Path downloads;

    @BeforeEach
    void startBrowser() throws Exception {
        downloads = Files.createDirectories(browserDir.resolve("downloads"));
        browser = Chromium.start(browserDir.resolve("profile"), downloads);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private WebTestClient api() {
        return webClient.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    private void signIn(String username, String password) {
        browser.get("http://localhost:" + port + "/console/");
        try {
            waiting().until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no sign-in form at " + browser.getCurrentUrl() + ":\n" + browser.getPageSource(), e);
        }
        browser.findElement(By.name("username")).sendKeys(username);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), username));
    }

    private void open(String page, By readyWhen) {
        browser.get("http://localhost:" + port + "/console/#/" + page);
        try {
            waiting().until(ExpectedConditions.presenceOfElementLocated(readyWhen));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("page " + page + " did not render; the console said: '"
                    + browser.findElement(By.id("message")).getText() + "'; logs: " + browser.manage().logs().get("browser").getAll(), e);
        }
    }

    private void screenshot(String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void shouldLetAnAuditorReadButChangeNothing() throws Exception {
        api().post().uri("/api/v1/admin/accounts").header("X-Api-Key", KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "auditor-anna", "password", "auditor-password-42", "role", "auditor"))
                .exchange().expectStatus().isCreated();

        signIn("auditor-anna", "auditor-password-42");
        open("held", By.tagName("h1"));
        assertThat(browser.findElements(By.cssSelector("[data-action=release]"))).isEmpty();
        open("certificates", By.tagName("h1"));
        assertThat(browser.findElements(By.id("certificate-import"))).isEmpty();
        screenshot("certificates-auditor");

        Object status = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const token = (document.cookie.match(/XSRF-TOKEN=([^;]+)/) || [])[1];
                fetch('/api/v1/admin/policies/global', {method: 'PUT', credentials: 'same-origin',
                  headers: {'Content-Type': 'application/json', 'X-XSRF-TOKEN': decodeURIComponent(token || '')},
                  body: JSON.stringify({outboundEncryption: 'NEVER'})}).then(r => done(r.status));
                """);
        assertThat(((Number) status).intValue()).as("the server refuses, not only the page").isEqualTo(403);
    }
}
