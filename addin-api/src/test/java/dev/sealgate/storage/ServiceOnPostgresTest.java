package dev.sealgate.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The whole service on PostgreSQL instead of the embedded H2: same code, same migrations. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ServiceOnPostgresTest {

    @TempDir
    static Path dataDir;

    private static TestDatabase database;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        database = TestDatabase.postgres();
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.admin.api-key", () -> "postgres-test-key-0123");
        registry.add("spring.datasource.url", database::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @AfterAll
    static void dropSchema() {
        if (database != null) {
            database.close();
        }
    }

    @Autowired
    WebTestClient client;

    @Autowired
    DataSource dataSource;

    @Test
    void shouldRecordAndServeEventsFromPostgres() {
        client.get().uri("/api/v1/admin/events").header("X-Api-Key", "wrong").exchange()
                .expectStatus().isUnauthorized();

        client.get().uri("/api/v1/admin/events?source=admin-api").header("X-Api-Key", "postgres-test-key-0123")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[0].details").isEqualTo("GET /api/v1/admin/events");
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void shouldRunOnPostgresNotOnTheEmbeddedDefault() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
    }
}
