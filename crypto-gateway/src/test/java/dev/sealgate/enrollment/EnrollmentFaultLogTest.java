package dev.sealgate.enrollment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.sealgate.certprovider.CertificateProvider;
import dev.sealgate.certprovider.swisssign.cmc.CmcFixture;
import dev.sealgate.certprovider.swisssign.cmc.FakeSwissSignCmc;
import dev.sealgate.certprovider.swisssign.cmc.SwissSignCmcClient;
import dev.sealgate.certprovider.swisssign.cmc.SwissSignCmcConfig;
import dev.sealgate.certprovider.swisssign.rest.FakeSwissSignRaApi;
import dev.sealgate.certprovider.swisssign.rest.RaApiFixture;
import dev.sealgate.certprovider.swisssign.rest.SwissSignRestClient;
import dev.sealgate.certprovider.swisssign.rest.SwissSignRestConfig;
import dev.sealgate.certprovider.testkit.MutableClock;
import dev.sealgate.certprovider.testkit.TestPki;
import dev.sealgate.certs.CertificateStore;
import dev.sealgate.certs.MasterKey;
import dev.sealgate.certs.PrivateKeyCipher;
import dev.sealgate.policy.PolicyRepository;
import dev.sealgate.policy.PolicyResolver;
import dev.sealgate.storage.TestDatabase;
import dev.sealgate.tracking.Event;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.tracking.EventQuery;
import dev.sealgate.tracking.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 4's last clause in one place: every fault of SwissSign's RA API and CMC interface, driven
 * through the real {@link EnrollmentService} with the real clients against WireMock, ends as a
 * failed CertificateRequest in the enrollment log with its failure status, an error text whose
 * provider line names the cause, and an event for the admin; never with a secret in either.
 *
 * <p>The log's storage is contract-tested on H2 and PostgreSQL ({@link EnrollmentContract}); H2 is
 * enough here, a fresh one per case, because polling and retrying work on the whole log. Pending
 * orders, deadlines and retries run on a {@link MutableClock}, so nothing waits.
 */
class EnrollmentFaultLogTest {

    private static final Duration RETRY_INITIAL = Duration.ofMinutes(5);
    private static final int MAX_ATTEMPTS = 3;
    private static final Duration SHORT_REQUEST_TIMEOUT = Duration.ofMillis(500);
    private static final Duration REST_ORDER_DEADLINE = Duration.ofHours(1);
    private static final Duration CMC_ORDER_DEADLINE = Duration.ofDays(1);

    /** What a case does after the first request: nothing, poll the order once, or poll it after its deadline. */
    enum FollowUp {
        NONE,
        POLL,
        POLL_AFTER_DEADLINE
    }

    /** The database and clock of one case, and its WireMock fakes, started only when the case needs them. */
    static final class Stage implements AutoCloseable {
        final TestDatabase database = TestDatabase.h2();
        final MutableClock clock = new MutableClock();
        final Path directory;
        private RaApiFixture rest;
        private CmcFixture cmc;

        Stage(Path directory) {
            this.directory = directory;
        }

        RaApiFixture rest() {
            if (rest == null) {
                rest = new RaApiFixture();
                rest.stubToken(rest.token);
            }
            return rest;
        }

        CmcFixture cmc() {
            if (cmc == null) {
                cmc = new CmcFixture(directory);
            }
            return cmc;
        }

        SwissSignRestClient restClient(URI baseUrl, Duration requestTimeout) {
            return new SwissSignRestClient(new SwissSignRestConfig(baseUrl, RaApiFixture.USER, RaApiFixture.SECRET,
                    FakeSwissSignRaApi.PRODUCT, Duration.ofSeconds(2), requestTimeout, Duration.ofMillis(20),
                    Duration.ZERO, REST_ORDER_DEADLINE, null, null), clock);
        }

        SwissSignRestClient restClient() {
            return restClient(rest().baseUrl(), Duration.ofSeconds(5));
        }

        /** Token as usual; the issue request answered with {@code answer}. */
        void stubIssue(ResponseDefinitionBuilder answer) {
            rest().server.stubFor(post(urlPathEqualTo("/v2/issue/csr/" + FakeSwissSignRaApi.PRODUCT)).willReturn(answer));
        }

        /** A real order with the given status; later status requests answer {@code laterStatus}. */
        void stubOrder(String status, String laterStatus) {
            stubIssue(RaApiFixture.json(200, "").withTransformers(FakeSwissSignRaApi.NAME)
                    .withTransformerParameter("status", status));
            rest().server.stubFor(post(urlPathMatching(RaApiFixture.ORDER_PATH + "/status"))
                    .willReturn(RaApiFixture.json(200, "\"" + laterStatus + "\"")));
        }

        SwissSignCmcClient cmcClient(Path accessKeyStore, Duration requestTimeout) throws Exception {
            return new SwissSignCmcClient(cmc().config(accessKeyStore, requestTimeout, CMC_ORDER_DEADLINE), clock);
        }

        SwissSignCmcClient cmcClient() throws Exception {
            return cmcClient(autoRao(), Duration.ofSeconds(5));
        }

        Path autoRao() {
            return cmc().accessKeyStore("autorao.p12", cmc().autoRaoCa, "Sealgate AutoRAO");
        }

        void stubCmcFailure(int failInfo, String statusString) {
            cmc().stub(aResponse().withStatus(200).withTransformers(FakeSwissSignCmc.NAME)
                    .withTransformerParameter("mode", "failed").withTransformerParameter("failInfo", String.valueOf(failInfo))
                    .withTransformerParameter("statusString", statusString));
        }

        /** Neither the API secret, the JWT, a key store password nor a bearer header. */
        void assertNoSecret(String text) {
            assertThat(text).doesNotContain(RaApiFixture.SECRET, new String(CmcFixture.ACCESS_PASSWORD),
                    CmcFixture.STORE_PASSWORD, "Bearer ");
            if (rest != null) {
                assertThat(text).doesNotContain(rest.token, rest.token.substring(0, rest.token.indexOf('.')));
            }
        }

        @Override
        public void close() {
            if (rest != null) {
                rest.close();
            }
            if (cmc != null) {
                cmc.close();
            }
            database.close();
        }
    }

    interface Setup {
        CertificateProvider provider(Stage stage) throws Exception;
    }

    /**
     * One fault: how the fake misbehaves, what the service does after the first request, and what
     * the provider's line in the error text must say.
     */
    record Fault(String name, Setup setup, FollowUp followUp, FailureStatus failureStatus, List<String> mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Fault fault(String name, Setup setup, String... mentions) {
        return new Fault(name, setup, FollowUp.NONE, FailureStatus.TRUST_CENTER_ERROR, List.of(mentions));
    }

    private static Fault fault(String name, FollowUp followUp, Setup setup, String... mentions) {
        return new Fault(name, setup, followUp, FailureStatus.TRUST_CENTER_ERROR, List.of(mentions));
    }

    static Stream<Fault> faults() {
        return Stream.of(
                fault("REST: connection refused", s -> s.restClient(URI.create("http://localhost:" + closedPort()),
                        Duration.ofSeconds(5)), "SwissSign RA API at", "connection refused"),
                fault("REST: no answer within the request timeout", s -> {
                    s.stubIssue(RaApiFixture.json(200, "{}").withFixedDelay(2_000));
                    return s.restClient(s.rest().baseUrl(), SHORT_REQUEST_TIMEOUT);
                }, "no answer within 500 ms"),
                fault("REST: HTTP 401", s -> {
                    s.stubIssue(RaApiFixture.json(401, RaApiFixture.apiError("<401.000.0001>", "token not accepted")));
                    return s.restClient();
                }, "HTTP 401", "was not accepted; check the user name and API key"),
                fault("REST: HTTP 403", s -> {
                    s.stubIssue(RaApiFixture.json(403, RaApiFixture.apiError("<403.000.0001>", "not an RA operator")));
                    return s.restClient();
                }, "HTTP 403", "may not do this"),
                fault("REST: HTTP 500", s -> {
                    s.stubIssue(RaApiFixture.json(500, RaApiFixture.apiError("<500.000.0001>", "internal error")));
                    return s.restClient();
                }, "HTTP 500", "the trust center failed"),
                fault("REST: malformed JSON", s -> {
                    s.stubIssue(RaApiFixture.json(200, "{\"uuid\": \"ord-"));
                    return s.restClient();
                }, "malformed JSON"),
                fault("REST: order FAILED", s -> {
                    s.stubOrder("FAILED", "FAILED");
                    return s.restClient();
                }, "ended FAILED"),
                fault("REST: order REJECTED while pending", FollowUp.POLL, s -> {
                    s.stubOrder("NEW", "REJECTED");
                    return s.restClient();
                }, "ended REJECTED"),
                fault("REST: order never finishes (deadline passed)", FollowUp.POLL_AFTER_DEADLINE, s -> {
                    s.stubOrder("NEW", "NEW");
                    return s.restClient();
                }, "is still NEW", "deadline PT1H", "giving up"),
                new Fault("REST: HTTP 400, address refused as our own bad input (InvalidRequest)", s -> {
                    s.stubIssue(RaApiFixture.json(400, RaApiFixture.apiError("<400.000.0004>",
                            "email domain not validated for this product")));
                    return s.restClient();
                }, FollowUp.NONE, FailureStatus.INVALID_REQUEST,
                        List.of("HTTP 400", "email domain not validated", "refused the request as invalid")),

                fault("CMC: connection refused", s -> new SwissSignCmcClient(new SwissSignCmcConfig(
                        URI.create("https://localhost:" + closedPort() + CmcFixture.PATH), CmcFixture.ACCOUNT,
                        CmcFixture.PRODUCT, s.autoRao(), CmcFixture.ACCESS_PASSWORD, null,
                        List.of(s.cmc().tlsRoot.certificate()), null, null, null), s.clock),
                        "SwissSign CMC at", "connection refused"),
                fault("CMC: no answer within the request timeout", s -> {
                    s.cmc().stub(aResponse().withStatus(200).withFixedDelay(2_000).withTransformers(FakeSwissSignCmc.NAME));
                    return s.cmcClient(s.autoRao(), SHORT_REQUEST_TIMEOUT);
                }, "no answer within 500 ms"),
                fault("CMC: TLS failure, client certificate missing", s -> {
                    s.cmc().stubCmc("issue");
                    // issued by a CA the server does not list as acceptable: the TLS stack offers no certificate
                    TestPki.TestCa otherCa = TestPki.TestCa.root("Some Other CA");
                    return s.cmcClient(s.cmc().accessKeyStore("other.p12", otherCa, "Sealgate AutoRAO"),
                            Duration.ofSeconds(5));
                }, "TLS handshake failed", "client certificate CN=Sealgate AutoRAO", "issued by CN=Some Other CA",
                        "AutoRAO certificate missing or not trusted"),
                fault("CMC: TLS failure, client certificate not trusted (pseudo-AutoRAO)", s -> {
                    s.cmc().stubCmc("issue");
                    // the seed's pseudo-AutoRAO: the real AutoRAO CA's name, another key
                    TestPki.TestCa pseudoCa = TestPki.TestCa.root("SwissSign Test MPKI AutoRAO CA");
                    return s.cmcClient(s.cmc().accessKeyStore("pseudo.p12", pseudoCa, "Sealgate AutoRAO"),
                            Duration.ofSeconds(5));
                }, "TLS handshake failed", "client certificate CN=Sealgate AutoRAO",
                        "AutoRAO certificate missing or not trusted"),
                fault("CMC: HTTP 401", s -> {
                    s.cmc().stub(aResponse().withStatus(401));
                    return s.cmcClient();
                }, "HTTP 401", "refused the AutoRAO certificate"),
                fault("CMC: HTTP 403", s -> {
                    s.cmc().stub(aResponse().withStatus(403));
                    return s.cmcClient();
                }, "HTTP 403", "refused the AutoRAO certificate"),
                fault("CMC: HTTP 500", s -> {
                    s.cmc().stub(aResponse().withStatus(500).withBody("Internal Server Error"));
                    return s.cmcClient();
                }, "HTTP 500", "the trust center failed"),
                fault("CMC: malformed DER", s -> {
                    s.cmc().stub(aResponse().withStatus(200).withHeader("Content-Type", "application/pkcs7-mime")
                            .withBody(new byte[] {0x30, (byte) 0x82, 0x01, 0x00, 0x06, 0x09, 0x2a}));
                    return s.cmcClient();
                }, "malformed DER"),
                fault("CMC: request FAILED (badIdentity)", s -> {
                    s.stubCmcFailure(7, "RA not authorized for product");
                    return s.cmcClient();
                }, "CMC failed, failInfo badIdentity: RA not authorized for product"),
                fault("CMC: request REJECTED by the RA operator", s -> {
                    s.stubCmcFailure(2, "rejected by RA operator");
                    return s.cmcClient();
                }, "CMC failed, failInfo badRequest: rejected by RA operator"),
                fault("CMC: order never finishes (deadline passed)", FollowUp.POLL_AFTER_DEADLINE, s -> {
                    s.cmc().stubCmc("pendingForever");
                    return s.cmcClient();
                }, "is still pending 1 days", "deadline PT24H", "giving up"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void shouldLogTheFaultWithItsFailureStatusAndErrorTextAndRaiseAnEvent(Fault fault, @TempDir Path directory)
            throws Exception {
        try (Stage stage = new Stage(directory)) {
            CertificateProvider provider = fault.setup().provider(stage);
            String domain = "f" + Long.toHexString(System.nanoTime()) + ".example";
            String address = "test.benutzer@" + domain;
            EnrollmentLog log = new EnrollmentLog(stage.database.dataSource(), stage.clock);
            EventLog events = new EventLog(stage.database.dataSource(), stage.clock);
            EnrollmentService service = service(stage, provider, domain, log, events);

            EnrollmentOutcome first = service.ensureCertificate(address);
            if (fault.followUp() != FollowUp.NONE) {
                assertThat(first.request().requestStatus()).as("the order is pending before the fault")
                        .isEqualTo(RequestStatus.PENDING);
                assertThat(first.request().orderId()).isNotNull();
                if (fault.followUp() == FollowUp.POLL_AFTER_DEADLINE) {
                    assertThat(service.pollPending()).as("within the deadline the order just stays pending").isEqualTo(1);
                    assertThat(log.get(first.request().id()).orElseThrow().requestStatus()).isEqualTo(RequestStatus.PENDING);
                    stage.clock.advance(provider instanceof SwissSignCmcClient ? CMC_ORDER_DEADLINE.plusMinutes(1)
                            : REST_ORDER_DEADLINE.plusMinutes(1));
                }
                assertThat(service.pollPending()).isEqualTo(1);
            }

            EnrollmentRecord failed = log.find(new EnrollmentQuery(address, null, null, 10)).stream()
                    .filter(r -> r.id().equals(first.request().id())).findFirst().orElseThrow();
            assertThat(failed.requestType()).isEqualTo(RequestType.CERTIFICATE_REQUEST);
            assertThat(failed.requestStatus()).isEqualTo(RequestStatus.FAILED);
            assertThat(failed.failureStatus()).isEqualTo(fault.failureStatus());
            assertThat(failed.provider()).isEqualTo("swisssign");
            assertThat(failed.errorText()).startsWith("Unexpected error from " + provider.name() + "\nMessage: SwissSign ");
            String providerLine = failed.errorText().lines().skip(1).findFirst().orElseThrow();
            assertThat(providerLine).as("the provider's one line in the error text names the cause")
                    .contains(fault.mentions());
            stage.assertNoSecret(failed.errorText());

            boolean retried = fault.failureStatus() == FailureStatus.TRUST_CENTER_ERROR;
            assertThat(failed.retryAt()).isEqualTo(retried ? stage.clock.instant().plus(RETRY_INITIAL) : null);
            List<Event> about = events.find(new EventQuery(null, null, null, EnrollmentService.EVENT_SOURCE, 1000)).stream()
                    .filter(e -> e.details() != null && e.details().contains("ID: " + failed.id())).toList();
            assertThat(about).singleElement().satisfies(event -> {
                assertThat(event.severity()).isEqualTo(Severity.ERROR);
                String next = retried ? "; retry 2 of " + MAX_ATTEMPTS + " at " + failed.retryAt() : "";
                assertThat(event.message()).isEqualTo("CertificateRequest for " + address + " failed: "
                        + fault.failureStatus().label() + next);
                assertThat(event.details()).contains("Request type: CertificateRequest", "Request status: Failed",
                        "Failure status: " + fault.failureStatus().label(), "Error text: " + failed.errorText());
                stage.assertNoSecret(event.message());
                stage.assertNoSecret(event.details());
            });

            if (retried) {
                assertThat(service.retryDue()).as("no retry before its time").isZero();
                stage.clock.advance(RETRY_INITIAL);
                assertThat(service.retryDue()).as("the retry is due after the backoff").isEqualTo(1);
                EnrollmentRecord second = log.find(new EnrollmentQuery(address, null, RequestType.CERTIFICATE_REQUEST, 10))
                        .stream().filter(r -> r.attempt() == 2).findFirst().orElseThrow();
                if (fault.followUp() == FollowUp.NONE) {
                    assertThat(second.requestStatus()).isEqualTo(RequestStatus.FAILED);
                    assertThat(second.failureStatus()).isEqualTo(FailureStatus.TRUST_CENTER_ERROR);
                    assertThat(second.errorText().lines().skip(1).findFirst().orElseThrow()).contains(fault.mentions());
                    assertThat(second.retryAt()).isEqualTo(stage.clock.instant().plus(RETRY_INITIAL.multipliedBy(2)));
                    stage.assertNoSecret(second.errorText());
                } else {
                    assertThat(second.requestStatus()).as("the retry places a new order").isEqualTo(RequestStatus.PENDING);
                    assertThat(second.orderId()).isNotNull().isNotEqualTo(failed.orderId());
                }
            } else {
                stage.clock.advance(Duration.ofDays(1));
                assertThat(service.retryDue()).as("our own bad request is not sent again by itself").isZero();
            }
        }
    }

    private static EnrollmentService service(Stage stage, CertificateProvider provider, String domain, EnrollmentLog log,
                                             EventLog events) {
        PrivateKeyCipher cipher = new PrivateKeyCipher(MasterKey.random());
        EnrollmentSettings settings = new EnrollmentSettings(EnrollmentSettings.KeyAlgorithm.EC, Duration.ofDays(14),
                RETRY_INITIAL, Duration.ofHours(1), MAX_ATTEMPTS, Duration.ofHours(24), Duration.ofMinutes(5));
        return new EnrollmentService(new CertificateStore(stage.database.dataSource(), cipher, stage.clock), cipher, log,
                Map.of("swisssign", provider), new ProviderSelector(Map.of(domain, "swisssign"), Map.of(), Set.of(domain), null),
                new PolicyResolver(new PolicyRepository(stage.database.dataSource(), stage.clock)), events, settings,
                stage.clock);
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
