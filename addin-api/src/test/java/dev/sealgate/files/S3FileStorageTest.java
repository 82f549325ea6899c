package dev.sealgate.files;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 storage against WireMock speaking S3's REST shapes (path-style PUT/GET/HEAD/DELETE object,
 * 404 NoSuchKey), with a scenario so the stub remembers what was stored. Also checks the requests
 * are SigV4-signed (streaming, chunk signatures over plain HTTP) with the configured key and carry the object's length.
 */
class S3FileStorageTest implements FileStorageContract {

    private static final String OBJECT = "/files-bucket/sg/key-abcdef01";
    private static final String NO_SUCH_KEY = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
            + "<Message>The specified key does not exist.</Message></Error>";

    @TempDir
    Path dir;

    private final WireMockServer s3 = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private S3FileStorage storage;

    @BeforeEach
    void start() {
        s3.start();
        String stored = "stored";
        String deleted = "deleted";
        s3.stubFor(put(urlEqualTo(OBJECT)).inScenario("object").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"etag-1\"")).willSetStateTo(stored));
        s3.stubFor(head(urlEqualTo(OBJECT)).inScenario("object").whenScenarioStateIs(stored)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Length", "16")));
        s3.stubFor(get(urlEqualTo(OBJECT)).inScenario("object").whenScenarioStateIs(stored)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/octet-stream").withBody("hello large file")));
        s3.stubFor(delete(urlEqualTo(OBJECT)).inScenario("object").whenScenarioStateIs(stored)
                .willReturn(aResponse().withStatus(204)).willSetStateTo(deleted));
        s3.stubFor(head(urlEqualTo(OBJECT)).inScenario("object").whenScenarioStateIs(deleted)
                .willReturn(aResponse().withStatus(404)));
        s3.stubFor(delete(urlEqualTo(OBJECT)).inScenario("object").whenScenarioStateIs(deleted)
                .willReturn(aResponse().withStatus(204)));
        s3.stubFor(get(urlEqualTo("/files-bucket/sg/key-missing1"))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/xml").withBody(NO_SUCH_KEY)));
        storage = new S3FileStorage(new S3StorageProperties(true, URI.create(s3.baseUrl()), "eu-central-1", "files-bucket",
                "sg/", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", true));
    }

    @AfterEach
    void stop() {
        storage.close();
        s3.stop();
    }

    @Override
    public FileStorage storage() {
        return storage;
    }

    @Override
    public Path spoolDirectory() {
        return dir;
    }

    @Test
    void shouldSignRequestsWithSigV4AndSendTheObjectLength() throws Exception {
        storage().put("key-abcdef01", Files.writeString(dir.resolve("b.part"), "hello large file"));
        storage().delete("key-abcdef01");

        s3.verify(putRequestedFor(urlEqualTo(OBJECT))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/eu-central-1/s3/aws4_request, .*"))
                .withHeader("x-amz-decoded-content-length", matching("16"))
                .withRequestBody(containing("hello large file")));
        s3.verify(deleteRequestedFor(urlEqualTo(OBJECT)));
    }
}
