package dev.sealgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.tracking.EventLog;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class AdminApiKeyTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.admin.api-key", () -> "test-admin-key-0123456789");
    }

    @Autowired
    WebTestClient client;

    @Autowired
    EventLog eventLog;

    @Test
    void shouldRefuseAdminCallWithoutKeyAsProblemDetail() {
        client.get().uri("/api/v1/admin/events").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Authentication required")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("X-Api-Key"));
    }

    @Test
    void shouldRefuseWrongKeyAndRecordAnEventWithoutTheKey() {
        client.get().uri("/api/v1/admin/events").header("X-Api-Key", "guess-1234").exchange()
                .expectStatus().isUnauthorized();

        client.get().uri("/api/v1/admin/events?source=admin-api").header("X-Api-Key", "test-admin-key-0123456789")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].message").value(m -> assertThat((String) m).startsWith("Rejected admin API call"))
                .jsonPath("$[0].details").isEqualTo("GET /api/v1/admin/events");
    }

    @Test
    void shouldListEventsWithTheRightKey() {
        eventLog.error("smtp", "Could not secure an inbound connection with the host 192.0.2.9", "no common cipher suite");

        client.get().uri("/api/v1/admin/events?source=smtp&severity=WARNING")
                .header("X-Api-Key", "test-admin-key-0123456789").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].severity").isEqualTo("ERROR")
                .jsonPath("$[0].details").isEqualTo("no common cipher suite");
    }

    @Test
    void shouldAnswerBadQueryWithProblemDetail() {
        client.get().uri("/api/v1/admin/events?limit=5000")
                .header("X-Api-Key", "test-admin-key-0123456789").exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.detail").isEqualTo("event query limit must be between 1 and 1000, was 5000");
    }

    @Test
    void shouldLeaveHealthAndApiDocsOpen() {
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        client.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.paths['/api/v1/admin/events']").exists()
                .jsonPath("$.paths['/api/v1/admin/events'].get.parameters[?(@.name == 'message')]").exists()
                .jsonPath("$.paths['/api/v1/admin/certificates/{id}/chain']").exists()
                .jsonPath("$.components.schemas.ApiWarning.properties.code").exists();
    }
}
