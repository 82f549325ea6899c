package dev.sealgate.files;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** One client address trying many links is stopped with 429 before it can enumerate tokens. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class PortalRateLimitTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.files.link-accesses-per-minute", () -> "5");
    }

    @Autowired
    WebTestClient client;

    @Test
    void shouldAnswer429AfterTheLimitPerClientAddress() {
        for (int i = 0; i < 5; i++) {
            client.get().uri("/portal/d/" + "C".repeat(42) + i).exchange().expectStatus().isNotFound();
        }
        client.get().uri("/portal/d/" + "D".repeat(43)).exchange()
                .expectStatus().isEqualTo(429)
                .expectBody(String.class).value(html -> org.assertj.core.api.Assertions.assertThat(html).contains("Too many attempts"));
        client.get().uri("/portal/r/" + "D".repeat(43)).exchange().expectStatus().isEqualTo(429);
    }
}
