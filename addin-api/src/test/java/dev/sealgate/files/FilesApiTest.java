package dev.sealgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.testkit.TestIdentityProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Flux;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class FilesApiTest {

    private static final TestIdentityProvider idp = new TestIdentityProvider();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.files.max-file-size", () -> "64KB");
        registry.add("sealgate.files.public-base-url", () -> "https://files.example.org/");
        registry.add("sealgate.domains", () -> "example.org");
        idp.register(registry);
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    @TestConfiguration
    static class Mail {
        /** Primary over the gateway's queue submission: this test looks at what would be mailed. */
        @Bean
        @Primary
        RecordingMailSubmission recordingMailSubmission() {
            return new RecordingMailSubmission();
        }
    }

    @Autowired
    WebTestClient client;

    @Autowired
    RecordingMailSubmission mail;

    private Map<String, Object> upload(String name, byte[] content, String query, String password) {
        return client.post().uri("/api/v1/files?name={name}" + query, name)
                .headers(h -> {
                    h.setBearerAuth(idp.token("alice@example.org"));
                    if (password != null) {
                        h.set("X-Link-Password", password);
                    }
                })
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .bodyValue(content)
                .exchange()
                .expectStatus().isCreated()
                .expectBody(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
                }).returnResult().getResponseBody();
    }

    private static String token(Map<String, Object> created) {
        String url = (String) created.get("url");
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private EntityExchangeResult<byte[]> download(String token, String password) {
        var form = BodyInserters.fromFormData("password", password == null ? "" : password);
        return client.post().uri("/portal/d/" + token).contentType(MediaType.APPLICATION_FORM_URLENCODED).body(form)
                .exchange().expectBody().returnResult();
    }

    @Test
    void shouldUploadAndServeTheFileAsAnAttachmentWithRestrictiveHeaders() throws Exception {
        byte[] content = "numbers for Q3\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        Map<String, Object> created = upload("Q3 \"numbers\".csv", content, "", null);

        assertThat((String) created.get("url")).startsWith("https://files.example.org/portal/d/");
        assertThat(created.get("sha256")).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        assertThat(created.get("name")).isEqualTo("Q3 _numbers_.csv");

        EntityExchangeResult<byte[]> result = download(token(created), null);
        assertThat(result.getStatus().value()).isEqualTo(200);
        assertThat(result.getResponseBody()).isEqualTo(content);
        assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_OCTET_STREAM);
        assertThat(result.getResponseHeaders().getContentDisposition().getType()).isEqualTo("attachment");
        assertThat(result.getResponseHeaders().getContentDisposition().getFilename()).isEqualTo("Q3 _numbers_.csv");
        assertThat(result.getResponseHeaders().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(result.getResponseHeaders().getFirst("Content-Security-Policy")).contains("default-src 'none'").contains("sandbox");
    }

    @Test
    void shouldEscapeTheFileNameOnThePortalPage() {
        Map<String, Object> created = upload("Tom & Jerry's <img src=x onerror=alert(1)>.txt", "x".getBytes(), "", null);

        client.get().uri("/portal/d/" + token(created)).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline"))
                .expectBody(String.class).value(html -> assertThat(html)
                        .contains("Tom &amp; Jerry&#39;s _img src=x onerror=alert(1)_.txt")
                        .doesNotContain("<img"));
    }

    @Test
    void shouldAskForThePasswordAndRefuseAWrongOne() {
        Map<String, Object> created = upload("secret.pdf", "secret".getBytes(), "", "s3cret-passphrase");

        EntityExchangeResult<byte[]> noPassword = download(token(created), null);
        assertThat(new String(noPassword.getResponseBody(), StandardCharsets.UTF_8)).contains("id=\"password\"");
        EntityExchangeResult<byte[]> wrong = download(token(created), "guess");
        assertThat(wrong.getStatus().value()).isEqualTo(403);
        assertThat(new String(wrong.getResponseBody(), StandardCharsets.UTF_8)).contains("The password is wrong.");
        EntityExchangeResult<byte[]> right = download(token(created), "s3cret-passphrase");
        assertThat(right.getStatus().value()).isEqualTo(200);
        assertThat(right.getResponseBody()).isEqualTo("secret".getBytes());
    }

    @Test
    void shouldAnswerUnknownRevokedAndUsedUpLinksWithTheSamePage() {
        Map<String, Object> once = upload("once.txt", "1".getBytes(), "&maxDownloads=1", null);
        assertThat(download(token(once), null).getStatus().value()).isEqualTo(200);
        Map<String, Object> revoked = upload("revoked.txt", "2".getBytes(), "", null);
        client.delete().uri("/api/v1/files/links/" + revoked.get("linkId"))
                .headers(h -> h.setBearerAuth(idp.token("bob@example.org"))).exchange().expectStatus().isNotFound();
        client.delete().uri("/api/v1/files/links/" + revoked.get("linkId"))
                .headers(h -> h.setBearerAuth(idp.token("alice@example.org"))).exchange().expectStatus().isNoContent();

        String unknownPage = page("/portal/d/" + "A".repeat(43));
        assertThat(page("/portal/d/" + token(once))).isEqualTo(unknownPage);
        assertThat(page("/portal/d/" + token(revoked))).isEqualTo(unknownPage);
        assertThat(page("/portal/d/short")).isEqualTo(unknownPage);
        assertThat(unknownPage).contains("This link is not available");
        assertThat(download(token(once), null).getStatus().value()).isEqualTo(404);
    }

    @Test
    void shouldSpeakGermanWhenTheBrowserPrefersIt() {
        client.get().uri("/portal/d/unknown").header("Accept-Language", "de-CH, de;q=0.9, en;q=0.5").exchange()
                .expectStatus().isNotFound()
                .expectBody(String.class).value(html -> assertThat(html).contains("lang=\"de\"").contains("Link nicht verfügbar"));
    }

    @Test
    void shouldRefuseFilesAboveTheLimitWhetherDeclaredOrStreamed() {
        client.post().uri("/api/v1/files?name=big.bin").headers(h -> h.setBearerAuth(idp.token("alice@example.org")))
                .contentType(MediaType.APPLICATION_OCTET_STREAM).bodyValue(new byte[70 * 1024]).exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("sealgate.files.max-file-size"));

        Flux<DataBuffer> chunked = Flux.range(0, 20).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[8192]));
        client.post().uri("/api/v1/files?name=big.bin").headers(h -> h.setBearerAuth(idp.token("alice@example.org")))
                .contentType(MediaType.APPLICATION_OCTET_STREAM).body(chunked, DataBuffer.class).exchange()
                .expectStatus().isEqualTo(413);
    }

    @Test
    void shouldRefuseAnExpiryOutsideTheConfiguredRange() {
        client.post().uri("/api/v1/files?name=a.txt&expiresInDays=365").headers(h -> h.setBearerAuth(idp.token("alice@example.org")))
                .contentType(MediaType.APPLICATION_OCTET_STREAM).bodyValue("a".getBytes()).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("between 1 and 90"));
    }

    @Test
    void shouldLetARecipientReplyWithAFileThatReachesTheSenderAsLink() {
        String url = client.post().uri("/api/v1/files/reply-links").headers(h -> h.setBearerAuth(idp.token("alice@example.org")))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("expiresInDays", 7)).exchange()
                .expectStatus().isCreated()
                .expectBody(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
                }).returnResult().getResponseBody().get("url").toString();
        String path = url.substring(url.indexOf("/portal/r/"));

        assertThat(page(path)).contains("alice@example.org").contains("reply.js");
        client.post().uri(path + "/files?name=answer.pdf").contentType(MediaType.APPLICATION_OCTET_STREAM)
                .bodyValue("my answer".getBytes()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo("answer.pdf");

        assertThat(mail.submitted()).anySatisfy(m -> {
            assertThat(m.to()).isEqualTo("alice@example.org");
            assertThat(m.textBody()).contains("https://files.example.org/portal/d/");
        });
        client.post().uri("/portal/r/" + "B".repeat(43) + "/files?name=x.pdf").contentType(MediaType.APPLICATION_OCTET_STREAM)
                .bodyValue("x".getBytes()).exchange().expectStatus().isNotFound();
    }

    private String page(String path) {
        return client.get().uri(path).exchange().expectBody(String.class).returnResult().getResponseBody();
    }
}
