package dev.sealgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With {@code management.server.port} set, Actuator lives there only, under the same rules; the main port serves none of it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "management.endpoints.web.exposure.include=*"})
class ManagementPortTest {

    private static final String ADMIN_KEY = "management-admin-key-0123456789";
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.admin.api-key", () -> ADMIN_KEY);
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Test
    void shouldServeActuatorOnTheManagementPortOnly() {
        assertThat(managementPort).isNotEqualTo(port);
        assertThat(status(managementPort, "/actuator/health", null)).isEqualTo(200);
        assertThat(status(managementPort, "/actuator/health/liveness", null)).isEqualTo(200);
        assertThat(status(port, "/actuator/health", null)).isEqualTo(404);
        assertThat(status(port, "/actuator/prometheus", ADMIN_KEY)).isEqualTo(404);
        assertThat(status(port, "/actuator/env", ADMIN_KEY)).isEqualTo(404);
    }

    @Test
    void shouldGuardTheManagementPortWithTheSameRules() {
        assertThat(status(managementPort, "/actuator/env", null)).isEqualTo(401);
        assertThat(status(managementPort, "/actuator/prometheus", null)).isEqualTo(401);
        assertThat(status(managementPort, "/actuator/heapdump", "wrong-key-0123456789")).isEqualTo(401);
        assertThat(status(managementPort, "/actuator/env", ADMIN_KEY)).isEqualTo(200);
        assertThat(status(managementPort, "/actuator/prometheus", ADMIN_KEY)).isEqualTo(200);
    }

    private static int status(int port, String path, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
