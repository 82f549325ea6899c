package dev.sealgate.certprovider.swisssign.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.sealgate.certprovider.swisssign.rest.RaApiFixture.apiError;
import static dev.sealgate.certprovider.swisssign.rest.RaApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.sealgate.certprovider.CertificateProviderException;
import dev.sealgate.certprovider.EnrollmentRequest;
import dev.sealgate.certprovider.EnrollmentResult;
import dev.sealgate.certprovider.ProviderFailure;
import dev.sealgate.certprovider.testkit.TestPki;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the gateway's operator reads when SwissSign's RA API or the way to it fails. */
class SwissSignRestClientFaultTest {

    private static final String ADDRESS = "alice@example.org";
    private static final String PRODUCT = FakeSwissSignRaApi.PRODUCT;

    private RaApiFixture raApi;
    private String where;

    @BeforeEach
    void startRaApi() {
        raApi = new RaApiFixture();
        where = "SwissSign RA API at " + raApi.baseUrl();
    }

    @AfterEach
    void stopRaApi() {
        raApi.close();
    }

    private static EnrollmentRequest request() {
        return new EnrollmentRequest(ADDRESS, TestPki.csr(TestPki.ecKeyPair(), ADDRESS));
    }

    private static CertificateProviderException failureOf(ThrowingCall call) {
        return catchThrowableOfType(CertificateProviderException.class, call::run);
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    private void stubIssue(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        raApi.server.stubFor(post(urlPathEqualTo("/v2/issue/csr/" + PRODUCT)).willReturn(answer));
    }

    @Test
    void shouldReportARefusedConnection() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://localhost:" + closedPort);
        SwissSignRestClient client = new SwissSignRestClient(new SwissSignRestConfig(nowhere, RaApiFixture.USER,
                RaApiFixture.SECRET, PRODUCT, Duration.ofSeconds(2), Duration.ofSeconds(2), null, null, null, null, null));

        CertificateProviderException e = failureOf(() -> client.enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).isEqualTo("SwissSign RA API at " + nowhere + ": connection refused — check the URL"
                + " and that the host is reachable on its port (firewall, proxy)");
    }

    @Test
    void shouldGiveUpOnAnAnswerThatTakesLongerThanTheRequestTimeout() {
        raApi.stubToken(raApi.token);
        stubIssue(json(200, "{}").withFixedDelay(2_000));
        SwissSignRestClient client = new SwissSignRestClient(
                raApi.config(Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofDays(1)));

        CertificateProviderException e = failureOf(() -> client.enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).isEqualTo(where + ": no answer within 300 ms — the trust center is slow or down;"
                + " retry later or raise the request timeout");
    }

    @Test
    void shouldReportAConnectionTheServerDrops() {
        raApi.stubToken(raApi.token);
        stubIssue(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        CertificateProviderException e = failureOf(() -> raApi.client().enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).startsWith(where + ": connection failed (")
                .endsWith(") — check network and proxy, then retry");
    }

    @Test
    void shouldNameUserAndApiKeyWhenTheTokenRequestIsRefused() {
        raApi.server.stubFor(post(urlPathEqualTo("/v2/jwt/" + RaApiFixture.USER))
                .willReturn(json(401, apiError("<401.000.0001>", "invalid credentials"))));

        CertificateProviderException e = failureOf(() -> raApi.client().enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).isEqualTo(where + ": token request for API user 'api-user@example.org' failed"
                + " (HTTP 401, <401.000.0001>: invalid credentials (error 123e4567-e89b-12d3-a456-426614174000))"
                + " — API user 'api-user@example.org' was not accepted; check the user name and API key in the"
                + " SwissSign settings");
    }

    @Test
    void shouldRenewTheTokenOnceWhenTheApiAnswers401AndThenGoOn() throws Exception {
        raApi.stubOrderThatGoesThrough();
        raApi.server.stubFor(post(urlPathEqualTo("/v2/issue/csr/" + PRODUCT)).inScenario("expired token")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("renewed")
                .willReturn(json(401, apiError("<401.000.0002>", "token expired"))));

        EnrollmentResult result = raApi.client().enroll(request());

        assertThat(result).isInstanceOf(EnrollmentResult.Issued.class);
        raApi.server.verify(2, postRequestedFor(urlPathEqualTo("/v2/jwt/" + RaApiFixture.USER)));
    }

    @Test
    void shouldFailWhenTheApiStillAnswers401WithAFreshToken() {
        raApi.stubToken(raApi.token);
        stubIssue(json(401, apiError("<401.000.0002>", "token rejected")));

        CertificateProviderException e = failureOf(() -> raApi.client().enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).startsWith(where + ": issue request for alice@example.org failed (HTTP 401,");
        raApi.server.verify(2, postRequestedFor(urlPathEqualTo("/v2/jwt/" + RaApiFixture.USER)));
    }

    @Test
    void shouldKeepAFreshTokenAndRenewOneAboutToExpire() throws Exception {
        raApi.stubOrderThatGoesThrough();
        SwissSignRestClient client = raApi.client();
        client.enroll(request());
        client.enroll(request());
        raApi.server.verify(1, postRequestedFor(urlPathEqualTo("/v2/jwt/" + RaApiFixture.USER)));

        String expiring = TestPki.jwt(Instant.now().plus(Duration.ofMinutes(4)));
        raApi.stubToken(expiring);
        SwissSignRestClient other = raApi.client();
        raApi.server.resetRequests();
        raApi.server.stubFor(post(urlPathMatching(RaApiFixture.ORDER_PATH + "/status"))
                .withHeader("Authorization", equalTo("Bearer " + expiring)).willReturn(json(200, "\"PENDING_AUTH\"")));
        other.poll(new dev.sealgate.certprovider.OrderReference("ord-f0725b50-c533-4802-a844-de57bfb7a80e", Instant.now()));
        other.poll(new dev.sealgate.certprovider.OrderReference("ord-f0725b50-c533-4802-a844-de57bfb7a80e", Instant.now()));

        raApi.server.verify(2, postRequestedFor(urlPathEqualTo("/v2/jwt/" + RaApiFixture.USER)));
    }

    @Test
    void shouldReportForbiddenAsMissingRaOperatorRight() {
        raApi.stubToken(raApi.token);
        stubIssue(json(403, apiError("<403.000.0001>", "access denied")));

        CertificateProviderException e = failureOf(() -> raApi.client().enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).isEqualTo(where + ": issue request for alice@example.org failed (HTTP 403,"
                + " <403.000.0001>: access denied (error 123e4567-e89b-12d3-a456-426614174000)) — API user"
                + " 'api-user@example.org' may not do this; ask SwissSign to grant it the RA operator right for product "
                + PRODUCT);
    }

    @Test
    void shouldReportAServerErrorWithTheErrorUuidForSupport() {
        raApi.stubToken(raApi.token);
        stubIssue(json(500, apiError("<500.000.0001>", "internal error")));

        CertificateProviderException e = failureOf(() -> raApi.client().enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).isEqualTo(where + ": issue request for alice@example.org failed (HTTP 500,"
                + " <500.000.0001>: internal error (error 123e4567-e89b-12d3-a456-426614174000)) — the trust center"
                + " failed; retry later, and if it persists give SwissSign support the error uuid");
    }

    @Test
    void shouldReportABadRequestAsInvalidRequest() {
        raApi.stubToken(raApi.token);
        stubIssue(json(400, apiError("<400.000.0042>", "key size not allowed by product")));

        CertificateProviderException e = failureOf(() -> raApi.client().enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("(HTTP 400, <400.000.0042>: key size not allowed by product")
                .endsWith("SwissSign refused the request as invalid; check the CSR and address against product " + PRODUCT);
    }

    @Test
    void shouldReportMalformedJson() {
        raApi.stubToken(raApi.token);
        stubIssue(json(200, "<html>Maintenance</html>"));

        CertificateProviderException e = failureOf(() -> raApi.client().enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).isEqualTo(where + ": answered the issue request for alice@example.org with"
                + " malformed JSON — check the base URL (a proxy or portal page instead of the API?); if it is right,"
                + " report it to SwissSign support");
    }

    @Test
    void shouldReportAChainThatHoldsNoCertificates() {
        raApi.stubOrderThatGoesThrough();
        raApi.server.stubFor(post(urlPathMatching(RaApiFixture.ORDER_PATH + "/certificate/chain"))
                .willReturn(json(200, "[\"bm90IGEgY2VydGlmaWNhdGU=\"]")));

        CertificateProviderException e = failureOf(() -> raApi.client().enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).matches(".*: answered the chain request for order ord-[0-9a-f-]{36} with an entry"
                + " that is not a base64 certificate — .*");
    }

    @Test
    void shouldReportAFailedOrder() {
        raApi.stubToken(raApi.token);
        stubIssue(json(200, "").withTransformers(FakeSwissSignRaApi.NAME).withTransformerParameter("status", "FAILED"));

        CertificateProviderException e = failureOf(() -> raApi.client().enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).matches(java.util.regex.Pattern.quote(where) + ": order ord-[0-9a-f-]{36} ended"
                + " FAILED — see the order's tasks in the SwissSign RA portal for the reason, fix it \\(product, domain"
                + " validation, authorization\\) and enroll again");
    }

    @Test
    void shouldReportARejectedOrderFoundWhilePolling() {
        raApi.stubToken(raApi.token);
        stubIssue(json(200, "").withTransformers(FakeSwissSignRaApi.NAME).withTransformerParameter("status", "PENDING_AUTH"));
        raApi.server.stubFor(post(urlPathMatching(RaApiFixture.ORDER_PATH + "/status")).willReturn(json(200, "\"REJECTED\"")));

        CertificateProviderException e = failureOf(() -> raApi.client().enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).matches(".*: order ord-[0-9a-f-]{36} ended REJECTED — .*");
    }

    @Test
    void shouldReturnAnUnfinishedOrderAsPendingAndGiveUpPollingAfterTheDeadline() throws Exception {
        raApi.stubToken(raApi.token);
        stubIssue(json(200, "").withTransformers(FakeSwissSignRaApi.NAME).withTransformerParameter("status", "NEW"));
        raApi.server.stubFor(post(urlPathMatching(RaApiFixture.ORDER_PATH + "/status")).willReturn(json(200, "\"PENDING_AUTH\"")));
        SettableClock clock = new SettableClock(Instant.now());
        SwissSignRestClient client = raApi.client(clock, Duration.ofMillis(100), Duration.ofDays(3));

        EnrollmentResult result = client.enroll(request());
        assertThat(result).isInstanceOf(EnrollmentResult.Pending.class);
        assertThat(((EnrollmentResult.Pending) result).status()).isEqualTo("PENDING_AUTH");
        assertThat(client.poll(result.order())).isInstanceOf(EnrollmentResult.Pending.class);

        clock.now = clock.now.plus(Duration.ofDays(3).plusMinutes(1));
        CertificateProviderException e = failureOf(() -> client.poll(result.order()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).isEqualTo(where + ": order " + result.order().id() + " is still PENDING_AUTH 3 days"
                + " after it was submitted (deadline PT72H) — giving up; ask the SwissSign RA operator to approve or"
                + " reject it, then enroll again");
    }

    @Test
    void shouldNeverPutTheApiSecretOrTheTokenIntoMessagesOrLogs() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.sealgate");
        Level before = logger.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.TRACE);
        List<String> texts = new ArrayList<>();
        try {
            raApi.stubOrderThatGoesThrough();
            SwissSignRestClient client = raApi.client();
            client.enroll(request());
            raApi.server.stubFor(post(urlPathEqualTo("/v2/issue/csr/" + PRODUCT))
                    .willReturn(json(401, apiError("<401.000.0002>", "token expired"))));
            texts.add(failureOf(() -> client.enroll(request())).getMessage());
            raApi.server.stubFor(post(urlPathEqualTo("/v2/jwt/" + RaApiFixture.USER))
                    .willReturn(json(401, apiError("<401.000.0001>", "invalid credentials"))));
            texts.add(failureOf(() -> raApi.client().enroll(request())).getMessage());
            texts.add(raApi.client().toString());
            texts.add(raApi.config(Duration.ofSeconds(1), Duration.ZERO, Duration.ofDays(1)).toString());
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
        }
        appender.list.forEach(event -> {
            texts.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                texts.add(event.getThrowableProxy().getMessage());
            }
        });

        assertThat(appender.list).isNotEmpty();
        assertThat(texts).allSatisfy(text -> assertThat(text)
                .doesNotContain(RaApiFixture.SECRET)
                .doesNotContain(java.net.URLEncoder.encode(RaApiFixture.SECRET, java.nio.charset.StandardCharsets.UTF_8))
                .doesNotContain(raApi.token)
                .doesNotContain(raApi.token.split("\\.")[2]));
    }

    private static final class SettableClock extends Clock {
        Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
