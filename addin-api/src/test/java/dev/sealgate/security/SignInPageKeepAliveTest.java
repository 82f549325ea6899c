package dev.sealgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A browser asks for the sign-in page and then for its stylesheet over the same keep-alive
 * connection, again and again. Every request must be answered: with Reactor Netty 1.3.7 the
 * connection now and then stopped being read after a request that had waited for the previous
 * exchange was answered at once (reactor/reactor-netty#4361, docs/adr/0210), and the console's
 * browser test hung on it. The signed-in walk, refusals and pipelining are in
 * {@code dev.sealgate.web.KeepAliveConnectionTest}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SignInPageKeepAliveTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.admin.bootstrap.username", () -> "breakglass");
        registry.add("sealgate.admin.bootstrap.password", () -> "break-glass-password-for-the-keep-alive-test");
    }

    @LocalServerPort
    int port;

    @Test
    void shouldAnswerEveryRequestAfterTheSignInPageOnTheSameConnection() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(); // one pooled connection
        List<String> unanswered = new ArrayList<>();
        for (int round = 0; round < 60; round++) {
            for (String path : List.of("/login", "/default-ui.css")) {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                            .header("Accept", "text/html,*/*").timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as(path).isEqualTo(200);
                } catch (HttpTimeoutException e) {
                    unanswered.add(round + " " + path);
                }
            }
        }
        assertThat(unanswered).as("requests the service never answered").isEmpty();
    }
}
