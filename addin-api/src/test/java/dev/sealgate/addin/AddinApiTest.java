package dev.sealgate.addin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.flags.FlagsTokenVerifier;
import dev.sealgate.flags.FlagsVerification;
import dev.sealgate.flags.JdbcFlagsSigningKeys;
import dev.sealgate.flags.MessageFlags;
import dev.sealgate.flags.MessageFlagsStore;
import dev.sealgate.testkit.TestIdentityProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
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
@AutoConfigureWebTestClient
class AddinApiTest {

    private static final TestIdentityProvider idp = new TestIdentityProvider();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.domains[0]", () -> "example.org");
        registry.add("sealgate.addin.encrypt-by-default", () -> "true");
        registry.add("sealgate.files.large-file-threshold", () -> "25MB");
        registry.add("sealgate.admin.api-key", () -> "admin-key-for-tests-123");
        idp.register(registry);
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    @Autowired
    WebTestClient client;

    @Autowired
    FlagsTokenVerifier verifier;

    @Autowired
    MessageFlagsStore flagsStore;

    @Autowired
    JdbcFlagsSigningKeys signingKeys;

    private WebTestClient.RequestHeadersSpec<?> asAlice(WebTestClient.RequestHeadersSpec<?> spec) {
        return spec.headers(h -> h.setBearerAuth(idp.token("alice@example.org")));
    }

    @Test
    void shouldAnswerSettingsFromConfiguration() {
        asAlice(client.get().uri("/api/v1/addin/settings")).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.user").isEqualTo("alice@example.org")
                .jsonPath("$.encrypt.visible").isEqualTo(true)
                .jsonPath("$.encrypt.pressed").isEqualTo(true)
                // the default signing mode AUTO signs every own sender (ADR 0091): the button shows it pressed
                .jsonPath("$.sign.pressed").isEqualTo(true)
                .jsonPath("$.mayDisableEncryption").isEqualTo(true)
                .jsonPath("$.largeFileThresholdBytes").isEqualTo(25 * 1024 * 1024)
                .jsonPath("$.defaultExpiryDays").isEqualTo(14)
                .jsonPath("$.minExpiryDays").isEqualTo(1)
                .jsonPath("$.maxExpiryDays").isEqualTo(90);
    }

    @Test
    void shouldTellInternalFromExternalRecipients() {
        asAlice(client.post().uri("/api/v1/addin/recipients/check").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("recipients", List.of("bob@EXAMPLE.org", "carol@partner.example")))).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.recipients[0].address").isEqualTo("bob@EXAMPLE.org")
                .jsonPath("$.recipients[0].internal").isEqualTo(true)
                .jsonPath("$.recipients[0].ifEncrypted").isEqualTo("ENCRYPTED")
                .jsonPath("$.recipients[1].internal").isEqualTo(false)
                .jsonPath("$.recipients[1].certificate").isEqualTo(false)
                .jsonPath("$.recipients[1].ifEncrypted").isEqualTo("REJECTED");
    }

    @Test
    void shouldRefuseMoreThan500Recipients() {
        List<String> many = IntStream.range(0, 501).mapToObj(i -> "r" + i + "@partner.example").toList();
        asAlice(client.post().uri("/api/v1/addin/recipients/check").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("recipients", many))).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("at most 500").contains("501"));
    }

    @Test
    void shouldAccept500Recipients() {
        List<String> many = IntStream.range(0, 500).mapToObj(i -> "r" + i + "@partner.example").toList();
        asAlice(client.post().uri("/api/v1/addin/recipients/check").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("recipients", many))).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.recipients.length()").isEqualTo(500);
    }

    @Test
    void shouldRefuseSomethingThatIsNoAddress() {
        asAlice(client.post().uri("/api/v1/addin/recipients/check").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("recipients", List.of("bob@partner.example", "no address")))).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").isEqualTo("recipient is not a mail address: no address");
    }

    @Test
    void shouldSignFlagsTheGatewayVerifiesForTheSenderAndKeepThemByMessageId() {
        FlagsResponse response = asAlice(client.post().uri("/api/v1/addin/flags").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new FlagsRequest(null, true, true, false, "<compose-1@example.org>", null))).exchange()
                .expectStatus().isOk()
                .expectBody(FlagsResponse.class).returnResult().getResponseBody();

        assertThat(response.header()).isEqualTo("X-Sealgate-Flags");
        FlagsVerification verification = verifier.verify(response.token(), "alice@example.org",
                List.of("alice@example.org"), "<compose-1@example.org>");
        assertThat(verification).isInstanceOfSatisfying(FlagsVerification.Valid.class,
                valid -> assertThat(valid.flags()).isEqualTo(new MessageFlags(true, true, false)));
        assertThat(verifier.verify(response.token(), "mallory@example.org", List.of("mallory@example.org"), null))
                .isInstanceOf(FlagsVerification.Rejected.class);
        assertThat(flagsStore.find("<compose-1@example.org>", "alice@example.org")).contains(new MessageFlags(true, true, false));
        assertThat(flagsStore.find("<compose-1@example.org>", "bob@example.org")).isEmpty();
    }

    @Test
    void shouldKeepTheFlagsKeyEncryptionKeyOutOfTheDatabaseAndRotateOnAdminRequest() throws Exception {
        assertThat(dataDir.resolve("keys").resolve("flags-kek")).as("derived from the master key, not a file of its own").doesNotExist();
        String before = signingKeys.currentSigningKey().getKeyID();
        String token = asAlice(client.post().uri("/api/v1/addin/flags").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new FlagsRequest("alice@example.org", true, false, false, null, null))).exchange()
                .expectStatus().isOk()
                .expectBody(FlagsResponse.class).returnResult().getResponseBody().token();

        client.post().uri("/api/v1/admin/addin/flags-key/rotate").header("X-Api-Key", "admin-key-for-tests-123").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.kid").value(kid -> assertThat((String) kid).isNotEqualTo(before));

        assertThat(signingKeys.currentSigningKey().getKeyID()).isNotEqualTo(before);
        assertThat(verifier.verify(token, "alice@example.org", List.of("alice@example.org"), null))
                .isInstanceOf(FlagsVerification.Valid.class);
    }

    @Test
    void shouldListTheEndpointsInTheOpenApiDocument() {
        client.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.paths['/api/v1/addin/settings'].get.summary").exists()
                .jsonPath("$.paths['/api/v1/addin/recipients/check'].post").exists()
                .jsonPath("$.paths['/api/v1/addin/flags'].post.description").value(d -> assertThat((String) d).contains("X-Sealgate-Flags"))
                .jsonPath("$.paths['/api/v1/files'].post.requestBody.content['application/octet-stream'].schema.format").isEqualTo("binary")
                .jsonPath("$.paths['/api/v1/files/reply-links'].post").exists()
                .jsonPath("$.components.securitySchemes['addin-bearer'].scheme").isEqualTo("bearer");
    }
}
