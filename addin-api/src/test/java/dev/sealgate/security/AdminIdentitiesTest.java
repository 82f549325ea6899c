package dev.sealgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Named API keys through the admin API, shown once and revocable; every change leaves an audit record. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.forward-headers-strategy=framework")
@AutoConfigureWebTestClient(timeout = "30s")
class AdminIdentitiesTest {

    private static final String ADMIN_KEY = "identities-admin-key-0123456789";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.admin.api-key", () -> ADMIN_KEY);
    }

    @Autowired
    WebTestClient client;

    private Map<String, Object> createKey(String name, String role) {
        return client.post().uri("/api/v1/admin/api-keys").header("X-Api-Key", ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", name, "role", role)).exchange()
                .expectStatus().isCreated()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    @Test
    void shouldShowANewKeyOnceAndLetItActInItsRole() {
        Map<String, Object> created = createKey("nightly export", "operator");
        String key = (String) created.get("key");

        client.get().uri("/api/v1/admin/me").header("X-Api-Key", key).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.name").isEqualTo("nightly export")
                .jsonPath("$.roles[0]").isEqualTo("operator")
                .jsonPath("$.signIn").isEqualTo("api-key");
        client.get().uri("/api/v1/admin/api-keys").header("X-Api-Key", ADMIN_KEY).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("nightly export").doesNotContain(key)
                        .doesNotContain(key.substring(4, 20)));
        client.get().uri("/api/v1/admin/api-keys").header("X-Api-Key", key).exchange().expectStatus().isForbidden();
        client.put().uri("/api/v1/admin/policies/global").header("X-Api-Key", key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange().expectStatus().isForbidden();
    }

    @Test
    void shouldRefuseARevokedKey() {
        Map<String, Object> created = createKey("leaked laptop", "auditor");
        String key = (String) created.get("key");
        client.get().uri("/api/v1/admin/events").header("X-Api-Key", key).exchange().expectStatus().isOk();

        client.delete().uri("/api/v1/admin/api-keys/{id}", created.get("id")).header("X-Api-Key", ADMIN_KEY).exchange()
                .expectStatus().isNoContent();

        client.get().uri("/api/v1/admin/events").header("X-Api-Key", key).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.title").isEqualTo("Invalid API key");
        client.delete().uri("/api/v1/admin/api-keys/{id}", created.get("id")).header("X-Api-Key", ADMIN_KEY).exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void shouldRefuseAnUnknownRoleWithAProblemDetail() {
        client.post().uri("/api/v1/admin/api-keys").header("X-Api-Key", ADMIN_KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "root", "role", "superuser")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").isEqualTo("role must be one of admin, operator, auditor, was superuser");
    }

    @Test
    void shouldAuditChangesAndRefusalsWithWhoWhatAndFromWhere() {
        String auditorKey = (String) createKey("audit reader", "auditor").get("key");
        client.delete().uri("/api/v1/admin/held/msg-4711").header("X-Api-Key", ADMIN_KEY)
                .header("X-Forwarded-For", "203.0.113.7").exchange().expectStatus().isNotFound();
        client.post().uri("/api/v1/admin/addin/flags-key/rotate").header("X-Api-Key", auditorKey).exchange()
                .expectStatus().isForbidden();
        client.put().uri("/api/v1/admin/policies/global").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isUnauthorized();

        client.get().uri("/api/v1/admin/audit?method=DELETE&actor=" + ApiKeyAuthentication.CONFIGURED_KEY).header("X-Api-Key", auditorKey)
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].route").isEqualTo("/api/v1/admin/held/{id}")
                .jsonPath("$[0].target").isEqualTo("msg-4711")
                .jsonPath("$[0].clientAddress").isEqualTo("203.0.113.7")
                .jsonPath("$[0].signIn").isEqualTo("configured-api-key")
                .jsonPath("$[0].outcome").isEqualTo("failed")
                .jsonPath("$[0].status").isEqualTo(404);
        client.get().uri("/api/v1/admin/audit?actor=audit reader").header("X-Api-Key", auditorKey).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].route").isEqualTo("/api/v1/admin/addin/flags-key/rotate")
                .jsonPath("$[0].outcome").isEqualTo("denied")
                .jsonPath("$[0].status").isEqualTo(403);
        client.get().uri("/api/v1/admin/audit?actor=anonymous&method=PUT").header("X-Api-Key", auditorKey).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].route").isEqualTo("/api/v1/admin/policies/global")
                .jsonPath("$[0].outcome").isEqualTo("denied");
    }

    @Test
    void shouldKeepTheAuditFromOperators() {
        String operatorKey = (String) createKey("shift operator", "operator").get("key");
        client.get().uri("/api/v1/admin/audit").header("X-Api-Key", operatorKey).exchange().expectStatus().isForbidden();
    }
}
