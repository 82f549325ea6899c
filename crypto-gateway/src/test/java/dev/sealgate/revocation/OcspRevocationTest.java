package dev.sealgate.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.net.OutboundHttp;
import dev.sealgate.smime.RevocationStatus;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCSP against a real responder: {@code openssl ocsp} serving the index of a test CA, its answers
 * signed by a delegated responder certificate; a second responder signing with the CA's own key,
 * a third with a key the CA never delegated to.
 */
class OcspRevocationTest {

    @TempDir
    static Path dir;

    static RevocationPki pki;
    static OpensslOcspResponder delegated;
    static OpensslOcspResponder caSigned;
    static OpensslOcspResponder foreignSigned;
    static HttpFixture http;
    static final BigInteger GOOD = RevocationPki.serial();
    static final BigInteger REVOKED = RevocationPki.serial();
    static final BigInteger UNLISTED = RevocationPki.serial();
    static final Instant REVOKED_AT = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeAll
    static void startResponders() throws Exception {
        pki = new RevocationPki("OCSP Test", null);
        pki.writeResponderFiles(dir, List.of(
                RevocationPki.IndexEntry.valid(GOOD, "good@partner.test"),
                RevocationPki.IndexEntry.revoked(REVOKED, "revoked@partner.test", REVOKED_AT, "keyCompromise")));
        delegated = OpensslOcspResponder.start(dir, "responder.pem", "responder.key", 100);
        caSigned = OpensslOcspResponder.start(dir, "ca.pem", "ca.key", 100);
        foreignSigned = OpensslOcspResponder.start(dir, "root.pem", "root.key", 100);
        http = new HttpFixture();
    }

    @AfterAll
    static void stopResponders() {
        for (AutoCloseable c : new AutoCloseable[] {delegated, caSigned, foreignSigned, http}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort: the next test class starts its own
            }
        }
    }

    private static RevocationService service() {
        return new RevocationService(new OutboundHttp(OutboundHttp.OutboundHttpSettings.DEFAULTS), RevocationSettings.DEFAULTS,
                StoredRevocation.NONE, Clock.systemUTC());
    }

    private static RevocationStatus check(RevocationPki.User user) {
        try (RevocationService service = service()) {
            return service.status(user.certificate(), pki.ca);
        }
    }

    @Test
    void shouldFindAGoodCertificateGoodByTheDelegatedResponder() {
        RevocationStatus status = check(pki.user("good@partner.test", GOOD, delegated.url(), null));

        assertThat(status).isInstanceOf(RevocationStatus.Good.class);
        assertThat(status.source()).isEqualTo("OCSP responder " + delegated.url());
    }

    @Test
    void shouldFindARevokedCertificateRevokedWithTheReasonAndTimeTheResponderGave() {
        RevocationStatus status = check(pki.user("revoked@partner.test", REVOKED, delegated.url(), null));

        assertThat(status).isInstanceOfSatisfying(RevocationStatus.Revoked.class, revoked -> {
            assertThat(revoked.reason()).isEqualTo("keyCompromise");
            assertThat(revoked.time()).isEqualTo(REVOKED_AT);
            assertThat(revoked.source()).contains(delegated.url());
        });
    }

    @Test
    void shouldReportUnknownWhenTheResponderDoesNotKnowTheCertificate() {
        RevocationStatus status = check(pki.user("stranger@partner.test", UNLISTED, delegated.url(), null));

        assertThat(status).isInstanceOfSatisfying(RevocationStatus.Unknown.class,
                unknown -> assertThat(unknown.why()).contains(delegated.url()).contains("does not know the certificate"));
    }

    @Test
    void shouldReportUnknownWhenTheResponderIsDown() throws IOException {
        String down = closedPortUrl();

        RevocationStatus status = check(pki.user("good@partner.test", GOOD, down, null));

        assertThat(status).isInstanceOfSatisfying(RevocationStatus.Unknown.class,
                unknown -> assertThat(unknown.why()).contains(down).contains("cannot be reached"));
    }

    @Test
    void shouldBelieveAnAnswerSignedByTheIssuingCaItself() {
        RevocationStatus status = check(pki.user("revoked@partner.test", REVOKED, caSigned.url(), null));

        assertThat(status).isInstanceOf(RevocationStatus.Revoked.class);
    }

    @Test
    void shouldNotBelieveAnAnswerSignedByAKeyTheCaNeverDelegatedTo() {
        RevocationStatus status = check(pki.user("revoked@partner.test", REVOKED, foreignSigned.url(), null));

        assertThat(status).isInstanceOfSatisfying(RevocationStatus.Unknown.class,
                unknown -> assertThat(unknown.why()).contains("signed neither by the issuing CA nor by a responder it delegated to"));
    }

    @Test
    void shouldSendANonceAndBelieveTheAnswerThatEchoesIt() {
        http.serve("/nonce", request -> forward(request.body(), delegated.url()));

        RevocationStatus status = check(pki.user("good@partner.test", GOOD, http.url("/nonce"), null));

        assertThat(status).isInstanceOf(RevocationStatus.Good.class);
        HttpFixture.Request sent = http.requests("/nonce").get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.header("Content-Type")).isEqualTo("application/ocsp-request");
        assertThat(nonceOf(sent.body())).isNotNull().hasSizeGreaterThanOrEqualTo(16);
    }

    @Test
    void shouldNotBelieveAReplayedAnswerThatEchoesAnotherNonce() throws Exception {
        RevocationPki.User user = pki.user("good@partner.test", GOOD, http.url("/replay"), null);
        byte[] recorded = forwardedOnce(user);
        http.serve("/replay", HttpFixture.Answer.ok(recorded, Map.of("Content-Type", "application/ocsp-response")));

        RevocationStatus status = check(user);

        assertThat(status).isInstanceOfSatisfying(RevocationStatus.Unknown.class,
                unknown -> assertThat(unknown.why()).contains("echoed another nonce than ours"));
    }

    @Test
    void shouldReportUnknownForAnAnswerThatIsNotOcsp() {
        http.serve("/garbage", HttpFixture.Answer.ok("<html>captive portal</html>".getBytes(), Map.of("Content-Type", "text/html")));

        RevocationStatus status = check(pki.user("good@partner.test", GOOD, http.url("/garbage"), null));

        assertThat(status).isInstanceOfSatisfying(RevocationStatus.Unknown.class,
                unknown -> assertThat(unknown.why()).contains(http.url("/garbage")));
    }

    @Test
    void shouldAskTheResponderOnceWhileItsAnswerIsCurrent() {
        http.serve("/counted", request -> forward(request.body(), delegated.url()));
        RevocationPki.User user = pki.user("good@partner.test", GOOD, http.url("/counted"), null);

        try (RevocationService service = service()) {
            assertThat(service.status(user.certificate(), pki.ca)).isInstanceOf(RevocationStatus.Good.class);
            assertThat(service.status(user.certificate(), pki.ca)).isInstanceOf(RevocationStatus.Good.class);
        }

        assertThat(http.requests("/counted")).hasSize(1);
    }

    /** Sends one check through a recording forwarder and gives back the responder's answer to it. */
    private static byte[] forwardedOnce(RevocationPki.User user) {
        byte[][] answer = new byte[1][];
        http.serve("/replay", request -> {
            HttpFixture.Answer forwarded = forward(request.body(), delegated.url());
            answer[0] = forwarded.body();
            return forwarded;
        });
        assertThat(check(user)).isInstanceOf(RevocationStatus.Good.class);
        assertThat(answer[0]).isNotNull();
        return answer[0];
    }

    private static HttpFixture.Answer forward(byte[] body, String url) throws IOException {
        try {
            HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/ocsp-request")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return HttpFixture.Answer.ok(response.body(), Map.of("Content-Type", "application/ocsp-response"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static byte[] nonceOf(byte[] request) {
        try {
            var extension = new OCSPReq(request).getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            return extension == null ? null
                    : org.bouncycastle.asn1.ASN1OctetString.getInstance(extension.getExtnValue().getOctets()).getOctets();
        } catch (IOException e) {
            throw new AssertionError("the gateway sent a request that is not OCSP", e);
        }
    }

    static String closedPortUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/";
        }
    }

    static BasicOCSPResp basic(byte[] response) throws Exception {
        return (BasicOCSPResp) new OCSPResp(response).getResponseObject();
    }
}
