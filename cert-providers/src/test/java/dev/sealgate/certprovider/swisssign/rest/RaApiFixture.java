package dev.sealgate.certprovider.swisssign.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.sealgate.certprovider.testkit.TestPki;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A WireMock server playing SwissSign's RA API, with the stubs of an order that goes through. Public
 * for the enrollment tests in crypto-gateway (test-jar), which drive the real client through the service.
 */
public final class RaApiFixture implements AutoCloseable {

    public static final String USER = "api-user@example.org";
    public static final String SECRET = "s3cr3t-API-key+/=";
    public static final String ORDER_PATH = "/v2/order/ord-[0-9a-f-]{36}";

    final FakeSwissSignRaApi fake = new FakeSwissSignRaApi();
    public final WireMockServer server = new WireMockServer(options().dynamicPort().extensions(fake));
    public final String token = TestPki.jwt(Instant.now().plus(Duration.ofHours(8)));

    public RaApiFixture() {
        server.start();
    }

    /** Token, issue, status ISSUED, chain and revoke, all answering as SwissSign's api.yaml says. */
    RaApiFixture stubOrderThatGoesThrough() {
        stubToken(token);
        server.stubFor(post(urlPathEqualTo("/v2/issue/csr/" + FakeSwissSignRaApi.PRODUCT))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .withHeader("Content-Type", equalTo("text/plain"))
                .willReturn(json(200, "").withTransformers(FakeSwissSignRaApi.NAME)));
        server.stubFor(post(urlPathMatching(ORDER_PATH + "/status"))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(json(200, "\"ISSUED\"")));
        server.stubFor(post(urlPathMatching(ORDER_PATH + "/certificate/chain"))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(json(200, "").withTransformers(FakeSwissSignRaApi.NAME)));
        server.stubFor(post(urlPathEqualTo("/v2/revoke"))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse().withStatus(204)));
        return this;
    }

    public void stubToken(String jwt) {
        server.stubFor(post(urlPathEqualTo("/v2/jwt/" + USER))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                .withFormParam("userSecret", equalTo(SECRET))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/plain").withBody(jwt)));
    }

    public static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    public static String apiError(String code, String message) {
        return "{\"uuid\":\"123e4567-e89b-12d3-a456-426614174000\",\"errorCode\":\"" + code
                + "\",\"errorMessages\":[\"" + message + "\"]}";
    }

    public URI baseUrl() {
        return URI.create("http://localhost:" + server.port());
    }

    SwissSignRestConfig config(Duration requestTimeout, Duration issuanceWait, Duration orderDeadline) {
        return new SwissSignRestConfig(baseUrl(), USER, SECRET, FakeSwissSignRaApi.PRODUCT, Duration.ofSeconds(2),
                requestTimeout, Duration.ofMillis(20), issuanceWait, orderDeadline, null, "Jane Operator");
    }

    SwissSignRestClient client() {
        return new SwissSignRestClient(config(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofDays(3)));
    }

    SwissSignRestClient client(Clock clock, Duration issuanceWait, Duration orderDeadline) {
        return new SwissSignRestClient(config(Duration.ofSeconds(5), issuanceWait, orderDeadline), clock);
    }

    @Override
    public void close() {
        server.stop();
    }
}
