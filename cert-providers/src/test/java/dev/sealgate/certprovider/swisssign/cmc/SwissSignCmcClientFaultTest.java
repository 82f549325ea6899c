package dev.sealgate.certprovider.swisssign.cmc;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.sealgate.certprovider.CertificateProviderException;
import dev.sealgate.certprovider.EnrollmentRequest;
import dev.sealgate.certprovider.EnrollmentResult;
import dev.sealgate.certprovider.ProviderFailure;
import dev.sealgate.certprovider.testkit.TestPki;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the gateway's operator reads when SwissSign's CMC interface or the way to it fails. */
class SwissSignCmcClientFaultTest {

    private static final String ADDRESS = "alice@example.org";
    private static final String CLIENT_CERTIFICATE = "CN=Sealgate AutoRAO, O=Sealgate Test";
    private static final String TLS_ADVICE = "(AutoRAO certificate missing or not trusted); import the MPKI access"
            + " (AutoRAO) certificate SwissSign issued for account ACME-MPKI with its key, and remove any other"
            + " (pseudo) AutoRAO certificate";

    @TempDir
    Path directory;

    private CmcFixture cmc;
    private String where;

    @BeforeEach
    void startCmc() {
        cmc = new CmcFixture(directory);
        where = "SwissSign CMC at " + cmc.endpoint();
    }

    @AfterEach
    void stopCmc() {
        cmc.close();
    }

    private static EnrollmentRequest request() {
        return new EnrollmentRequest(ADDRESS, TestPki.csr(TestPki.ecKeyPair(), ADDRESS));
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    private static CertificateProviderException failureOf(ThrowingCall call) {
        return catchThrowableOfType(CertificateProviderException.class, call::run);
    }

    @Test
    void shouldNameTheClientCertificateWhenTheServerGetsNone() throws Exception {
        cmc.stubCmc("issue");
        // issued by a CA the server does not list as acceptable: the TLS stack offers no certificate at all
        TestPki.TestCa otherCa = TestPki.TestCa.root("Some Other CA");
        SwissSignCmcClient client = new SwissSignCmcClient(cmc.config(
                cmc.accessKeyStore("other.p12", otherCa, "Sealgate AutoRAO"), Duration.ofSeconds(5), Duration.ofDays(1)));

        CertificateProviderException e = failureOf(() -> client.enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).startsWith(where + ": TLS handshake failed (")
                .endsWith(") — the server did not accept our client certificate " + CLIENT_CERTIFICATE
                        + " issued by CN=Some Other CA, O=Sealgate Test " + TLS_ADVICE);
    }

    @Test
    void shouldNameTheClientCertificateWhenTheServerDoesNotTrustIt() throws Exception {
        cmc.stubCmc("issue");
        // the seed's pseudo-AutoRAO: same issuer name as the real AutoRAO CA, another key
        TestPki.TestCa pseudoCa = TestPki.TestCa.root("SwissSign Test MPKI AutoRAO CA");
        SwissSignCmcClient client = new SwissSignCmcClient(cmc.config(
                cmc.accessKeyStore("pseudo.p12", pseudoCa, "Sealgate AutoRAO"), Duration.ofSeconds(5), Duration.ofDays(1)));

        CertificateProviderException e = failureOf(() -> client.enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).startsWith(where + ": TLS handshake failed (")
                .endsWith(") — the server did not accept our client certificate " + CLIENT_CERTIFICATE
                        + " issued by CN=SwissSign Test MPKI AutoRAO CA, O=Sealgate Test " + TLS_ADVICE);
    }

    @Test
    void shouldSayWhenWeDoNotTrustTheServer() throws Exception {
        cmc.stubCmc("issue");
        SwissSignCmcConfig trustsOtherRoot = new SwissSignCmcConfig(cmc.endpoint(), CmcFixture.ACCOUNT,
                CmcFixture.PRODUCT, cmc.accessKeyStore("autorao.p12", cmc.autoRaoCa, "Sealgate AutoRAO"),
                CmcFixture.ACCESS_PASSWORD, null, List.of(TestPki.TestCa.root("Unrelated Root").certificate()),
                null, Duration.ofSeconds(5), null);

        CertificateProviderException e = failureOf(() -> new SwissSignCmcClient(trustsOtherRoot).enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).startsWith(where + ": TLS handshake failed — we do not trust the server's certificate (")
                .endsWith("); add its root to the trusted server certificates, or bypass the TLS-intercepting proxy");
    }

    @Test
    void shouldReportARefusedConnection() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("https://localhost:" + closedPort + "/ws/cmc");
        SwissSignCmcClient client = new SwissSignCmcClient(new SwissSignCmcConfig(nowhere, CmcFixture.ACCOUNT,
                CmcFixture.PRODUCT, cmc.accessKeyStore("autorao.p12", cmc.autoRaoCa, "Sealgate AutoRAO"),
                CmcFixture.ACCESS_PASSWORD, null, List.of(cmc.tlsRoot.certificate()), null, null, null));

        CertificateProviderException e = failureOf(() -> client.enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).isEqualTo("SwissSign CMC at " + nowhere + ": connection refused — check the URL and"
                + " that the host is reachable on its port (firewall, proxy)");
    }

    @Test
    void shouldGiveUpOnAnAnswerThatTakesLongerThanTheRequestTimeout() throws Exception {
        cmc.stub(aResponse().withStatus(200).withFixedDelay(2_000).withTransformers(FakeSwissSignCmc.NAME));
        SwissSignCmcClient client = cmc.client(Clock.systemUTC(), Duration.ofMillis(500));

        CertificateProviderException e = failureOf(() -> client.enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).isEqualTo(where + ": no answer within 500 ms — the trust center is slow or down;"
                + " retry later or raise the request timeout");
    }

    @Test
    void shouldReportADroppedConnection() throws Exception {
        cmc.stub(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        CertificateProviderException e = failureOf(() -> cmc.client().enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).startsWith(where + ": connection failed (").endsWith(") — check network and proxy, then retry");
    }

    @Test
    void shouldReportUnauthorizedAndForbiddenAsTheAutoRaoCertificateNotEnabled() throws Exception {
        for (int status : new int[] {401, 403}) {
            cmc.stub(aResponse().withStatus(status));

            CertificateProviderException e = failureOf(() -> cmc.client().enroll(request()));

            assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
            assertThat(e.getMessage()).isEqualTo(where + ": enrollment of alice@example.org failed (HTTP " + status
                    + ") — SwissSign refused the AutoRAO certificate " + CLIENT_CERTIFICATE + " for account ACME-MPKI;"
                    + " ask SwissSign to enable it for this account and product");
        }
    }

    @Test
    void shouldReportAServerError() throws Exception {
        cmc.stub(aResponse().withStatus(500).withBody("Internal Server Error"));

        CertificateProviderException e = failureOf(() -> cmc.client().enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).isEqualTo(where + ": enrollment of alice@example.org failed (HTTP 500) — the trust"
                + " center failed; retry later, and if it persists contact SwissSign support");
    }

    @Test
    void shouldReportMalformedDer() throws Exception {
        cmc.stub(aResponse().withStatus(200).withHeader("Content-Type", "application/pkcs7-mime")
                .withBody(new byte[] {0x30, (byte) 0x82, 0x01, 0x00, 0x06, 0x09, 0x2a}));

        CertificateProviderException e = failureOf(() -> cmc.client().enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).isEqualTo(where + ": answered the enrollment of alice@example.org with malformed"
                + " DER (not a CMC Full PKI Response) — check the endpoint URL (a proxy or portal page instead of the"
                + " CMC interface?); if it is right, report it to SwissSign support");
    }

    @Test
    void shouldReportAFailedRequestWithItsFailInfo() throws Exception {
        cmc.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(CmcFixture.PATH))
                .willReturn(aResponse().withStatus(200).withTransformers(FakeSwissSignCmc.NAME)
                        .withTransformerParameter("mode", "failed").withTransformerParameter("failInfo", "7")
                        .withTransformerParameter("statusString", "RA not authorized for product")));

        CertificateProviderException e = failureOf(() -> cmc.client().enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).isEqualTo(where + ": enrollment of alice@example.org refused (CMC failed, failInfo"
                + " badIdentity: RA not authorized for product) — SwissSign did not accept the request's signer; check"
                + " that the AutoRAO certificate " + CLIENT_CERTIFICATE + " is the RA certificate of account ACME-MPKI");
    }

    @Test
    void shouldReportARejectedRequestAsRefusedByTheProduct() throws Exception {
        cmc.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(CmcFixture.PATH))
                .willReturn(aResponse().withStatus(200).withTransformers(FakeSwissSignCmc.NAME)
                        .withTransformerParameter("mode", "failed").withTransformerParameter("failInfo", "2")
                        .withTransformerParameter("statusString", "rejected by RA operator")));

        CertificateProviderException e = failureOf(() -> cmc.client().enroll(request()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).isEqualTo(where + ": enrollment of alice@example.org refused (CMC failed, failInfo"
                + " badRequest: rejected by RA operator) — product smime-silver refused the request's content; check"
                + " the product's key and name requirements with SwissSign");
    }

    @Test
    void shouldGiveUpPollingAnOrderThatNeverFinishes() throws Exception {
        cmc.stubCmc("pendingForever");
        SettableClock clock = new SettableClock(Instant.now());
        SwissSignCmcClient client = cmc.client(clock, Duration.ofSeconds(5));

        EnrollmentResult result = client.enroll(request());
        assertThat(result).isInstanceOf(EnrollmentResult.Pending.class);
        assertThat(client.poll(result.order())).isInstanceOf(EnrollmentResult.Pending.class);

        clock.now = clock.now.plus(Duration.ofDays(3).plusMinutes(1));
        CertificateProviderException e = failureOf(() -> client.poll(result.order()));

        assertThat(e.failure()).isEqualTo(ProviderFailure.TRUST_CENTER_ERROR);
        assertThat(e.getMessage()).isEqualTo(where + ": order " + result.order().id() + " is still pending 3 days after"
                + " it was submitted (deadline PT72H) — giving up; ask the SwissSign RA operator of account ACME-MPKI to"
                + " approve or reject it, then enroll again");
    }

    @Test
    void shouldRefuseAnAccessKeyStoreItCannotOpenWithoutShowingThePassword() {
        Path keyStore = cmc.accessKeyStore("autorao.p12", cmc.autoRaoCa, "Sealgate AutoRAO");

        CertificateProviderException e = failureOf(() -> new SwissSignCmcClient(new SwissSignCmcConfig(cmc.endpoint(),
                CmcFixture.ACCOUNT, CmcFixture.PRODUCT, keyStore, "wrong-password".toCharArray(), null, null, null,
                null, null)));

        assertThat(e.failure()).isEqualTo(ProviderFailure.CONFIGURATION_ERROR);
        assertThat(e.getMessage()).startsWith(where + ": cannot use the MPKI access (AutoRAO) key store " + keyStore + " (")
                .endsWith(") — check the file and its password; export the AutoRAO certificate with its private key as PKCS#12")
                .doesNotContain("wrong-password").doesNotContain(new String(CmcFixture.ACCESS_PASSWORD));
        assertThat(cmc.config(keyStore, Duration.ofSeconds(1), Duration.ofDays(1)).toString())
                .doesNotContain(new String(CmcFixture.ACCESS_PASSWORD));
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
