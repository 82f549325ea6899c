package dev.sealgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.testkit.TestIdentityProvider;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.tracking.EventQuery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@link DamagedFileDownloadTest} on the file blob store (the default, {@code <data-dir>/blobs}): a
 * large file damaged on disk behind the service's back (a byte flipped, the file cut short) is never
 * served as a complete download: the connection is cut off before the last byte, and an event says
 * which file.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DamagedFileDownloadOnFileStoreTest {

    private static final TestIdentityProvider idp = new TestIdentityProvider();

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        registry.add("sealgate.data-dir", () -> dir.resolve("data").toString());
        registry.add("sealgate.files.public-base-url", () -> "https://files.example.org/");
        registry.add("sealgate.domains", () -> "example.org"); // add-in users must be of an own domain (ADR 0080)
        registry.add("sealgate.blob-store.type", () -> "file");
        idp.register(registry);
    }

    @AfterAll
    static void stop() throws IOException {
        idp.close();
    }

    @Autowired
    WebTestClient client;

    @Autowired
    EventLog events;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private String upload(byte[] content) {
        // a longer timeout than WebTestClient's 5 s: the machine running the suite may be busy
        Map<String, Object> created = client.mutate().responseTimeout(java.time.Duration.ofMinutes(2)).build()
                .post().uri("/api/v1/files?name=report.pdf")
                .headers(h -> h.setBearerAuth(idp.token("alice@example.org")))
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .bodyValue(content)
                .exchange()
                .expectStatus().isCreated()
                .expectBody(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
                }).returnResult().getResponseBody();
        String url = (String) created.get("url");
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /**
     * The blob of the file of this size, found under {@code <data-dir>/blobs/files} by its encrypted length
     * (75 bytes of header, 16 bytes of tag per 64 KiB segment; docs/adr/0101).
     */
    private static Path objectOf(int size) throws IOException {
        long length = 75L + size + 16L * Math.max(1, (size + 65535) / 65536);
        try (var files = Files.walk(dir.resolve("data").resolve("blobs").resolve("files"))) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return Files.size(f) == length;
                } catch (IOException e) {
                    return false;
                }
            }).findFirst().orElseThrow();
        }
    }

    /** Downloads through the portal; the body as received, or null when the connection broke off. */
    private byte[] download(String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/portal/d/" + token))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("password=")).build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException brokenOff) {
            return null;
        }
    }

    private static byte[] content(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void shouldStoreTheFileEncryptedOnDiskAndServeItWhole() throws Exception {
        byte[] content = "quarterly numbers, confidential\n".repeat(4000).getBytes(StandardCharsets.US_ASCII);
        String token = upload(content);

        assertThat(new String(Files.readAllBytes(objectOf(content.length)), StandardCharsets.ISO_8859_1))
                .doesNotContain("quarterly numbers");
        assertThat(download(token)).isEqualTo(content);
    }

    @Test
    void shouldCutOffTheDownloadOfAFileWithAFlippedByteAndRecordAnEvent() throws Exception {
        byte[] content = content(300_001, 1);
        String token = upload(content);
        Path object = objectOf(content.length);
        byte[] stored = Files.readAllBytes(object);
        stored[stored.length - 100] ^= 0x01;
        Files.write(object, stored);

        byte[] received = download(token);

        assertThat(received == null || received.length < content.length).as("no complete download of a damaged file").isTrue();
        assertThat(events.find(new EventQuery(null, null, null, "files", 20)))
                .anySatisfy(e -> assertThat(e.message()).contains("report.pdf").contains("damaged"));
    }

    @Test
    void shouldCutOffTheDownloadOfATruncatedFile() throws Exception {
        byte[] content = content(200_002, 2);
        String token = upload(content);
        Path object = objectOf(content.length);
        Files.write(object, Arrays.copyOf(Files.readAllBytes(object), (int) Files.size(object) - 70_000));

        byte[] received = download(token);

        assertThat(received == null || received.length < content.length).as("no complete download of a cut-off file").isTrue();
    }
}
