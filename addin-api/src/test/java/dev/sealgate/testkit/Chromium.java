package dev.sealgate.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.PageLoadStrategy;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Real headless Chromium for page tests, from the distribution packages (chromium, chromium-driver).
 * Missing: the test is skipped with a message, except with {@code CI=true}, where it fails.
 */
public final class Chromium {

    public static final String BINARY = "/usr/bin/chromium";
    public static final String DRIVER = "/usr/bin/chromedriver";

    private Chromium() {
    }

    public static ChromeDriver start(Path userDataDir, Path downloadDir) {
        return start(userDataDir, downloadDir, "en");
    }

    /** @param acceptLanguages what the browser sends as Accept-Language, e.g. {@code de} */
    public static ChromeDriver start(Path userDataDir, Path downloadDir, String acceptLanguages) {
        return start(userDataDir, downloadDir, acceptLanguages, new String[0]);
    }

    /** @param extraArguments more Chromium switches, e.g. {@code --ignore-certificate-errors} for a test's own HTTPS server */
    public static ChromeDriver start(Path userDataDir, Path downloadDir, String acceptLanguages, String... extraArguments) {
        return start(userDataDir, downloadDir, acceptLanguages, PageLoadStrategy.NORMAL, extraArguments);
    }

    /**
     * @param pageLoadStrategy {@code EAGER}: navigation returns once the document is parsed, not after every
     *                         subresource; for tests that wait for explicit conditions on the page anyway
     */
    public static ChromeDriver start(Path userDataDir, Path downloadDir, String acceptLanguages, PageLoadStrategy pageLoadStrategy,
                                     String... extraArguments) {
        if (!Files.isExecutable(Path.of(BINARY)) || !Files.isExecutable(Path.of(DRIVER))) {
            String reason = "headless Chromium is not installed (" + BINARY + ", " + DRIVER + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(reason + ": with CI=true browser tests must run; install chromium and chromium-driver");
            }
            Assumptions.abort(reason + ": skipping; apt-get install -y chromium chromium-driver to run it");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY);
        options.setPageLoadStrategy(pageLoadStrategy);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + userDataDir.toAbsolutePath());
        options.addArguments(extraArguments);
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloadDir.toAbsolutePath().toString(),
                "download.prompt_for_download", false,
                "intl.accept_languages", acceptLanguages));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
