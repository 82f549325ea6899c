package dev.sealgate.admin;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A fresh install has no admin key: the admin API must be closed, and say how to open it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class AdminApiClosedByDefaultTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
    }

    @Autowired
    WebTestClient client;

    @Test
    void shouldAnswer503ToACallWithoutAnyCredential() {
        client.post().uri("/api/v1/admin/certificates").bodyValue("{}").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.detail").value(d -> org.assertj.core.api.Assertions.assertThat((String) d)
                        .contains("sealgate.admin.bootstrap"));
    }

    @Test
    void shouldAnswer503WithHowToSetTheKey() {
        client.get().uri("/api/v1/admin/events").header("X-Api-Key", "anything").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody()
                .jsonPath("$.detail").value(d -> org.assertj.core.api.Assertions.assertThat((String) d)
                        .contains("sealgate.admin.api-key").contains("SEALGATE_ADMIN_API_KEY"));
    }
}
