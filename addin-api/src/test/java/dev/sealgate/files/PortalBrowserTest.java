package dev.sealgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.testkit.Chromium;
import dev.sealgate.testkit.TestIdentityProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The portal as a recipient uses it, in real headless Chromium. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class PortalBrowserTest {

    private static final TestIdentityProvider idp = new TestIdentityProvider();

    @TempDir
    static Path dataDir;

    @TempDir
    Path browserDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.domains", () -> "example.org");
        idp.register(registry);
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    @TestConfiguration
    static class Mail {
        /** Primary over the gateway's queue submission: this test looks at what would be mailed. */
        @Bean
        @Primary
        RecordingMailSubmission recordingMailSubmission() {
            return new RecordingMailSubmission();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient client;

    @Autowired
    RecordingMailSubmission mail;

    private ChromeDriver browser;
    private Path downloads;

    @BeforeEach
    void startBrowser() throws Exception {
        downloads = Files.createDirectories(browserDir.resolve("downloads"));
        browser = Chromium.start(browserDir.resolve("profile"), downloads);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String uploadWithPassword(String name, String content, String password) {
        Map<?, ?> created = client.post().uri("/api/v1/files?name={n}", name)
                .headers(h -> {
                    h.setBearerAuth(idp.token("alice@example.org"));
                    h.set("X-Link-Password", password);
                })
                .contentType(MediaType.APPLICATION_OCTET_STREAM).bodyValue(content.getBytes())
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String url = (String) created.get("url");
        return url.substring(url.indexOf("/portal/"));
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @Test
    void shouldDownloadAPasswordProtectedFileAfterAWrongAndARightPassword() throws Exception {
        String path = uploadWithPassword("offer.txt", "the offer", "correct-password-1");

        browser.get("http://localhost:" + port + path);
        assertThat(browser.findElement(By.id("file-name")).getText()).isEqualTo("offer.txt");
        browser.findElement(By.id("password")).sendKeys("wrong-password");
        browser.findElement(By.id("download")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("wrong-password")));
        assertThat(browser.findElement(By.id("wrong-password")).getText()).isEqualTo("The password is wrong.");

        browser.findElement(By.id("password")).sendKeys("correct-password-1");
        browser.findElement(By.id("download")).click();

        Path file = downloads.resolve("offer.txt");
        waiting().until(d -> Files.exists(file) && readQuietly(file).equals("the offer"));
        assertThat(Files.readString(file)).isEqualTo("the offer");
    }

    @Test
    void shouldShowTheUnavailablePageForAnUnknownLink() {
        browser.get("http://localhost:" + port + "/portal/d/" + "E".repeat(43));
        assertThat(browser.findElement(By.id("unavailable")).getText()).startsWith("This link is not available.");
    }

    @Test
    void shouldShowTheUnavailablePageInGermanToAGermanBrowser() {
        browser.quit();
        browser = Chromium.start(browserDir.resolve("profile-de"), downloads, "de");

        browser.get("http://localhost:" + port + "/portal/d/" + "F".repeat(43));

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Link nicht verfügbar");
        assertThat(browser.findElement(By.id("unavailable")).getText()).startsWith("Dieser Link ist nicht verfügbar.");
    }

    @Test
    void shouldLetARecipientUploadAReplyThatReachesTheSender() throws Exception {
        Map<?, ?> created = client.post().uri("/api/v1/files/reply-links")
                .headers(h -> h.setBearerAuth(idp.token("alice@example.org")))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of())
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String url = (String) created.get("url");
        Path answer = Files.writeString(browserDir.resolve("answer.txt"), "signed and returned");

        browser.get("http://localhost:" + port + url.substring(url.indexOf("/portal/")));
        browser.findElement(By.id("files")).sendKeys(answer.toString());
        browser.findElement(By.id("send")).click();

        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#results li")));
        assertThat(browser.findElement(By.cssSelector("#results li")).getText()).isEqualTo("answer.txt: Sent");
        assertThat(mail.submitted()).anySatisfy(m -> {
            assertThat(m.to()).isEqualTo("alice@example.org");
            assertThat(m.subject()).contains("answer.txt");
        });
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return "";
        }
    }
}
