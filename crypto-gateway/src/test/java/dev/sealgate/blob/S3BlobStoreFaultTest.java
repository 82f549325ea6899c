package dev.sealgate.blob;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault shapes no real S3 server here produces on demand (WireMock): 503 SlowDown, and a server
 * that stores something else than it was sent (as an emulator did with aws-chunked framing).
 */
class S3BlobStoreFaultTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String SLOW_DOWN = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
            + "<Message>Please reduce your request rate.</Message></Error>";

    @TempDir
    Path dir;

    private final WireMockServer s3 = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private S3BlobStore store;

    @BeforeEach
    void start() {
        s3.start();
        store = new S3BlobStore(new S3BlobStore.Location(URI.create(s3.baseUrl()), "eu-central-1", "bodies", "sg/",
                "AKIDEXAMPLE", SECRET, true), dir.resolve("staging"));
    }

    @AfterEach
    void stop() {
        store.close();
        s3.stop();
    }

    @Test
    void shouldFailAPutTheServerKeepsRefusingWithSlowDownWithoutLeakingTheSecretOrAStagingFile() throws Exception {
        s3.stubFor(any(urlPathMatching("/bodies/.*")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/xml").withBody(SLOW_DOWN)));

        assertThatThrownBy(() -> store.put("spool/m1.eml", out -> out.write(new byte[2 * S3BlobStore.IN_MEMORY])))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bodies")
                .hasMessageNotContaining(SECRET);
        try (var staged = Files.list(dir.resolve("staging"))) {
            assertThat(staged).isEmpty();
        }
    }

    @Test
    void shouldReportAnUnavailableServerOnReadAsAFailureNotAsAMissingBlob() {
        s3.stubFor(get(urlEqualTo("/bodies/sg/spool/m2.eml")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/xml").withBody(SLOW_DOWN)));

        assertThatThrownBy(() -> store.get("spool/m2.eml")).isInstanceOf(IOException.class)
                .isNotInstanceOf(NoSuchFileException.class);
    }

    @Test
    void shouldSendTheExactLengthWithoutChunkFramingAndRefuseAnObjectStoredLonger() {
        s3.stubFor(put(urlEqualTo("/bodies/sg/spool/m3.eml")).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"e\"")));
        s3.stubFor(head(urlEqualTo("/bodies/sg/spool/m3.eml")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Length", "187")));
        s3.stubFor(any(urlEqualTo("/bodies/sg/spool/m3.eml")).atPriority(10).willReturn(aResponse().withStatus(204)));

        assertThatThrownBy(() -> store.put("spool/m3.eml", out -> out.write("hello body".getBytes())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("187 bytes").hasMessageContaining("instead of the 10 sent");

        s3.verify(putRequestedFor(urlEqualTo("/bodies/sg/spool/m3.eml"))
                .withHeader("Content-Length", equalTo("10"))
                .withHeader("Content-Encoding", absent())
                .withHeader("x-amz-decoded-content-length", absent())
                .withHeader("x-amz-content-sha256", notContaining("STREAMING")));
        s3.verify(deleteRequestedFor(urlEqualTo("/bodies/sg/spool/m3.eml")));
    }
}
