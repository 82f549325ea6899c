package dev.sealgate.enrollment;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.sealgate.certprovider.CertificateProvider;
import dev.sealgate.certprovider.ProviderHttp;
import dev.sealgate.certprovider.swisssign.cmc.SwissSignCmcClient;
import dev.sealgate.certprovider.swisssign.rest.FakeSwissSignRaApi;
import dev.sealgate.certprovider.swisssign.rest.RaApiFixture;
import dev.sealgate.certprovider.swisssign.rest.SwissSignRestClient;
import dev.sealgate.certprovider.swisssign.rest.SwissSignRestConfig;
import dev.sealgate.certs.CertificateStore;
import dev.sealgate.certs.MasterKey;
import dev.sealgate.certs.PrivateKeyCipher;
import dev.sealgate.net.OutboundHttp;
import dev.sealgate.net.OutboundProxy;
import dev.sealgate.net.Tinyproxy;
import dev.sealgate.policy.PolicyRepository;
import dev.sealgate.policy.PolicyResolver;
import dev.sealgate.tracking.Event;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.tracking.EventQuery;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 13: the certificate providers reach their trust center through the outbound proxy, a real
 * tinyproxy with Basic authentication, and a proxy that refuses us or cannot be reached ends as a
 * failed CertificateRequest and an event that say so, never with the proxy password in them. The
 * CA's API is WireMock on loopback, reached through the proxy because no non-proxy host is set.
 */
class EnrollmentThroughProxyTest {

    private static final String PROXY_USER = "sealgate-gw";
    private static final String PROXY_PASSWORD = "Pr0xy-pa55-Geheim";

    @TempDir
    static Path dir;

    static Tinyproxy proxy;
    static final ListAppender<ILoggingEvent> LOGGED = new ListAppender<>();

    @BeforeAll
    static void startProxy() throws Exception {
        proxy = Tinyproxy.start(dir.resolve("tinyproxy"), PROXY_USER, PROXY_PASSWORD);
        LOGGED.start();
        root().addAppender(LOGGED);
    }

    @AfterAll
    static void stopProxy() {
        root().detachAppender(LOGGED);
        if (proxy != null) {
            proxy.close();
        }
    }

    @AfterEach
    void shouldHaveLoggedNoProxyPassword() {
        assertThat(List.copyOf(LOGGED.list)).allSatisfy(event -> {
            assertThat(event.getFormattedMessage()).doesNotContain(PROXY_PASSWORD);
            if (event.getThrowableProxy() != null) {
                assertThat(ThrowableProxyUtil.asString(event.getThrowableProxy())).doesNotContain(PROXY_PASSWORD);
            }
        });
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static ProviderHttp through(OutboundProxy.Auth auth, String password) {
        return OutboundHttp.forProviders(Optional.of(new OutboundProxy("127.0.0.1", proxy.port(), auth,
                auth == OutboundProxy.Auth.BASIC ? PROXY_USER : null, password, List.of())));
    }

    private static ProviderHttp withTheRightPassword() {
        return through(OutboundProxy.Auth.BASIC, PROXY_PASSWORD);
    }

    @Test
    void shouldEnrollAtSwissSignThroughTheProxyAndSendTheCredentialsOnlyToTheProxy(@TempDir Path directory) throws Exception {
        try (EnrollmentFaultLogTest.Stage stage = new EnrollmentFaultLogTest.Stage(directory)) {
            stage.stubOrder("ISSUED", "ISSUED");
            stage.rest().server.stubFor(post(urlPathMatching(RaApiFixture.ORDER_PATH + "/certificate/chain"))
                    .willReturn(RaApiFixture.json(200, "").withTransformers(FakeSwissSignRaApi.NAME)));
            int before = proxy.requests().size();

            Enrollment enrollment = enroll(stage, restClient(stage, withTheRightPassword()));

            assertThat(enrollment.outcome().status()).isEqualTo(EnrollmentOutcome.Status.ISSUED);
            assertThat(enrollment.record().requestStatus()).isEqualTo(RequestStatus.SUCCEEDED);
            List<LoggedRequest> seen = stage.rest().server.findAll(com.github.tomakehurst.wiremock.client.WireMock
                    .anyRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
            assertThat(seen).as("token, issue request").hasSizeGreaterThanOrEqualTo(2).allSatisfy(request -> {
                assertThat(request.getHeader("Via")).as("came through tinyproxy").contains("tinyproxy");
                assertThat(request.containsHeader("Proxy-Authorization")).as("the proxy's credentials stay with the proxy")
                        .isFalse();
            });
            String origin = "http://localhost:" + stage.rest().server.port() + "/v2/";
            assertThat(proxy.requests().subList(before, proxy.requests().size()))
                    .as("tinyproxy's own log has the calls to the RA API")
                    .anySatisfy(line -> assertThat(line).startsWith("POST " + origin + "jwt/"))
                    .anySatisfy(line -> assertThat(line).startsWith("POST " + origin + "issue/csr/"));
        }
    }

    @Test
    void shouldLogAWrongProxyPasswordAsRefusedAuthentication(@TempDir Path directory) throws Exception {
        try (EnrollmentFaultLogTest.Stage stage = new EnrollmentFaultLogTest.Stage(directory)) {
            stage.stubOrder("ISSUED", "ISSUED");

            Enrollment enrollment = enroll(stage, restClient(stage, through(OutboundProxy.Auth.BASIC, "wrong-" + PROXY_PASSWORD)));

            assertFailedBecause(stage, enrollment, "proxy refused authentication", proxy.address(), "sealgate.proxy.password");
            assertThat(stage.rest().server.getAllServeEvents()).as("nothing reached the CA").isEmpty();
        }
    }

    @Test
    void shouldLogAProxyThatWantsCredentialsWhenNoneAreConfiguredAsRefusedAuthentication(@TempDir Path directory)
            throws Exception {
        try (EnrollmentFaultLogTest.Stage stage = new EnrollmentFaultLogTest.Stage(directory)) {
            stage.stubOrder("ISSUED", "ISSUED");

            Enrollment enrollment = enroll(stage, restClient(stage, through(OutboundProxy.Auth.NONE, null)));

            assertFailedBecause(stage, enrollment, "proxy refused authentication (407)", proxy.address(), "sealgate.proxy.auth");
            assertThat(stage.rest().server.getAllServeEvents()).isEmpty();
        }
    }

    @Test
    void shouldLogAnUnreachableProxyAsSuch(@TempDir Path directory) throws Exception {
        try (EnrollmentFaultLogTest.Stage stage = new EnrollmentFaultLogTest.Stage(directory)) {
            stage.stubOrder("ISSUED", "ISSUED");
            int closed = closedPort();
            ProviderHttp nowhere = OutboundHttp.forProviders(Optional.of(new OutboundProxy("127.0.0.1", closed,
                    OutboundProxy.Auth.BASIC, PROXY_USER, PROXY_PASSWORD, List.of())));

            Enrollment enrollment = enroll(stage, restClient(stage, nowhere));

            assertFailedBecause(stage, enrollment, "proxy unreachable", "127.0.0.1:" + closed, "sealgate.proxy.host");
            assertThat(stage.rest().server.getAllServeEvents()).isEmpty();
        }
    }

    @Test
    void shouldEnrollOverTheCmcInterfaceThroughATunnelOfTheProxy(@TempDir Path directory) throws Exception {
        try (EnrollmentFaultLogTest.Stage stage = new EnrollmentFaultLogTest.Stage(directory)) {
            stage.cmc().stubCmc("issue");
            int before = proxy.requests().size();

            Enrollment enrollment = enroll(stage, cmcClient(stage, withTheRightPassword()));

            assertThat(enrollment.outcome().status()).isEqualTo(EnrollmentOutcome.Status.ISSUED);
            assertThat(proxy.requests().subList(before, proxy.requests().size()))
                    .as("HTTPS with the AutoRAO client certificate goes through a CONNECT tunnel, end to end")
                    .anySatisfy(line -> assertThat(line).isEqualTo("CONNECT localhost:" + stage.cmc().server.httpsPort()
                            + " HTTP/1.1"));
        }
    }

    @Test
    void shouldLogAWrongProxyPasswordOnATunnelAsRefusedAuthentication(@TempDir Path directory) throws Exception {
        try (EnrollmentFaultLogTest.Stage stage = new EnrollmentFaultLogTest.Stage(directory)) {
            stage.cmc().stubCmc("issue");

            Enrollment enrollment = enroll(stage, cmcClient(stage, through(OutboundProxy.Auth.BASIC, "wrong-" + PROXY_PASSWORD)));

            assertFailedBecause(stage, enrollment, "proxy refused authentication", proxy.address());
            assertThat(stage.cmc().server.getAllServeEvents()).isEmpty();
        }
    }

    private record Enrollment(EnrollmentOutcome outcome, EnrollmentRecord record, String address, EventLog events) {
    }

    private static SwissSignRestClient restClient(EnrollmentFaultLogTest.Stage stage, ProviderHttp http) {
        return new SwissSignRestClient(new SwissSignRestConfig(stage.rest().baseUrl(), RaApiFixture.USER, RaApiFixture.SECRET,
                FakeSwissSignRaApi.PRODUCT, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMillis(20),
                Duration.ZERO, Duration.ofHours(1), null, null), stage.clock, http);
    }

    private static SwissSignCmcClient cmcClient(EnrollmentFaultLogTest.Stage stage, ProviderHttp http) throws Exception {
        return new SwissSignCmcClient(stage.cmc().config(stage.autoRao(), Duration.ofSeconds(30), Duration.ofDays(1)),
                stage.clock, http);
    }

    private static Enrollment enroll(EnrollmentFaultLogTest.Stage stage, CertificateProvider provider) {
        String domain = "p" + Long.toHexString(System.nanoTime()) + ".example";
        String address = "test.benutzer@" + domain;
        EnrollmentLog log = new EnrollmentLog(stage.database.dataSource(), stage.clock);
        EventLog events = new EventLog(stage.database.dataSource(), stage.clock);
        PrivateKeyCipher cipher = new PrivateKeyCipher(MasterKey.random());
        EnrollmentSettings settings = new EnrollmentSettings(EnrollmentSettings.KeyAlgorithm.EC, Duration.ofDays(14),
                Duration.ofMinutes(5), Duration.ofHours(1), 3, Duration.ofHours(24), Duration.ofMinutes(5));
        EnrollmentService service = new EnrollmentService(new CertificateStore(stage.database.dataSource(), cipher, stage.clock),
                cipher, log, Map.of("swisssign", provider),
                new ProviderSelector(Map.of(domain, "swisssign"), Map.of(), Set.of(domain), null),
                new PolicyResolver(new PolicyRepository(stage.database.dataSource(), stage.clock)), events, settings, stage.clock);
        EnrollmentOutcome outcome = service.ensureCertificate(address);
        EnrollmentRecord record = log.get(outcome.request().id()).orElseThrow();
        return new Enrollment(outcome, record, address, events);
    }

    /** A failed request, retried later, whose error text and event name the proxy's fault; no secret in either. */
    private static void assertFailedBecause(EnrollmentFaultLogTest.Stage stage, Enrollment enrollment, String... mentions) {
        EnrollmentRecord failed = enrollment.record();
        assertThat(failed.requestStatus()).isEqualTo(RequestStatus.FAILED);
        assertThat(failed.failureStatus()).as("retried by itself once the proxy settings are fixed")
                .isEqualTo(FailureStatus.TRUST_CENTER_ERROR);
        String providerLine = failed.errorText().lines().skip(1).findFirst().orElseThrow();
        assertThat(providerLine).contains(mentions);
        assertThat(failed.errorText()).doesNotContain(PROXY_PASSWORD);
        stage.assertNoSecret(failed.errorText());
        List<Event> about = enrollment.events().find(new EventQuery(null, null, null, EnrollmentService.EVENT_SOURCE, 1000))
                .stream().filter(e -> e.details() != null && e.details().contains("ID: " + failed.id())).toList();
        assertThat(about).singleElement().satisfies(event -> {
            assertThat(event.message()).startsWith("CertificateRequest for " + enrollment.address() + " failed");
            assertThat(event.details()).contains(mentions).doesNotContain(PROXY_PASSWORD);
            assertThat(event.message()).doesNotContain(PROXY_PASSWORD);
        });
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
