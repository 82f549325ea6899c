package dev.sealgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A stranger's wrong query values, as an admin types them into curl: the answer is a 400 problem
 * detail that names the parameter and what it accepts, not Spring's bare "Type mismatch.".
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class ApiErrorMessagesTest {

    private static final String KEY = "error-messages-admin-key-0123456789";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.admin.api-key", () -> KEY);
    }

    @Autowired
    WebTestClient client;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/api/v1/admin/tracking?from=yesterday | from | an ISO-8601 instant such as",
            "/api/v1/admin/tracking?status=lost    | status | one of ",
            "/api/v1/admin/tracking?limit=many     | limit | a whole number",
    })
    void shouldNameTheParameterAndWhatItAccepts(String uri, String parameter, String accepted) {
        client.get().uri(uri).header("X-Api-Key", KEY).accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.parameter").isEqualTo(parameter)
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail)
                        .startsWith("parameter '" + parameter + "' must be " + accepted)
                        .doesNotContain("Type mismatch"));
    }

    /** The same for a request body: a misspelt enumeration, a wrong type, JSON cut short. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"content\":\"x\",\"kind\":\"partnr\"}   | kind | field 'kind' must be one of | got 'partnr'",
            "{\"content\":[1,2],\"kind\":\"PARTNER\"}  | content | field 'content' must be  | content",
            "{\"content\":                            |      | the request body is not valid JSON | line 1",
    })
    void shouldNameTheFieldOfABodyItCannotRead(String body, String field, String start, String alsoContains) {
        WebTestClient.BodyContentSpec answer = client.post().uri("/api/v1/admin/certificates").header("X-Api-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail)
                        .startsWith(start).contains(alsoContains).doesNotContain("Failed to read HTTP message"));
        if (field == null) {
            answer.jsonPath("$.field").doesNotExist();
        } else {
            answer.jsonPath("$.field").isEqualTo(field);
        }
    }
}
