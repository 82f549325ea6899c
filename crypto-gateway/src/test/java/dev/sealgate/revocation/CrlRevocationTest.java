package dev.sealgate.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.net.OutboundHttp;
import dev.sealgate.smime.RevocationStatus;
import java.io.IOException;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CRLs fetched from distribution points served by a small HTTP server in the test. */
class CrlRevocationTest {

    static RevocationPki pki;
    static HttpFixture http;
    static final AtomicInteger PATHS = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        pki = new RevocationPki("CRL Test", null);
        http = new HttpFixture();
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    private static RevocationService service(RevocationSettings settings) {
        return new RevocationService(new OutboundHttp(OutboundHttp.OutboundHttpSettings.DEFAULTS), settings,
                StoredRevocation.NONE, Clock.systemUTC());
    }

    private static String path() {
        return "/crl-" + PATHS.incrementAndGet() + ".crl";
    }

    private static RevocationPki.User userWithCrl(String path) {
        return pki.user("user@partner.test", RevocationPki.serial(), null, http.url(path));
    }

    private static RevocationStatus check(RevocationPki.User user) {
        try (RevocationService service = service(RevocationSettings.DEFAULTS)) {
            return service.status(user.certificate(), pki.ca);
        }
    }

    private static X509CRL current(java.security.cert.X509Certificate... revoked) {
        return pki.caCrl(Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)), revoked);
    }

    private static void serve(String path, X509CRL crl, Map<String, String> headers) {
        try {
            http.serve(path, HttpFixture.Answer.ok(crl.getEncoded(), headers));
        } catch (java.security.cert.CRLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldFindACertificateGoodThatTheCurrentCrlDoesNotList() {
        String path = path();
        RevocationPki.User user = userWithCrl(path);
        serve(path, current(), Map.of());

        RevocationStatus status = check(user);

        assertThat(status).isInstanceOf(RevocationStatus.Good.class);
        assertThat(status.source()).isEqualTo("CRL " + http.url(path));
    }

    @Test
    void shouldFindACertificateRevokedThatTheCrlLists() {
        String path = path();
        RevocationPki.User user = userWithCrl(path);
        serve(path, current(user.certificate()), Map.of());

        assertThat(check(user)).isInstanceOfSatisfying(RevocationStatus.Revoked.class,
                revoked -> assertThat(revoked.reason()).isEqualTo("keyCompromise"));
    }

    @Test
    void shouldNotBelieveACrlPastItsNextUpdate() {
        String path = path();
        RevocationPki.User user = userWithCrl(path);
        serve(path, pki.caCrl(Instant.now().minus(Duration.ofDays(8)), Instant.now().minus(Duration.ofDays(1))), Map.of());

        assertThat(check(user)).isInstanceOfSatisfying(RevocationStatus.Unknown.class,
                unknown -> assertThat(unknown.why()).contains(http.url(path)).contains("is stale"));
    }

    @Test
    void shouldNotBelieveACrlWithABadSignatureEvenWhenItListsTheCertificate() {
        String path = path();
        RevocationPki.User user = userWithCrl(path);
        serve(path, pki.forgedCaCrl(user.certificate()), Map.of());

        assertThat(check(user)).isInstanceOfSatisfying(RevocationStatus.Unknown.class,
                unknown -> assertThat(unknown.why()).contains("is not signed by the certificate's issuer"));
    }

    @Test
    void shouldNotBelieveTheCrlOfAnotherIssuer() {
        String path = path();
        RevocationPki.User user = userWithCrl(path);
        serve(path, pki.rootCrl(Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)), user.certificate()), Map.of());

        assertThat(check(user)).isInstanceOfSatisfying(RevocationStatus.Unknown.class,
                unknown -> assertThat(unknown.why()).contains("not by the certificate's issuer"));
    }

    @Test
    void shouldReportUnknownWhenTheDistributionPointIsDownOrAnswersAnError() throws IOException {
        String down = OcspRevocationTest.closedPortUrl() + "ca.crl";
        RevocationPki.User atDownServer = pki.user("user@partner.test", RevocationPki.serial(), null, down);
        RevocationPki.User atMissingPath = userWithCrl("/nothing-here.crl");

        assertThat(check(atDownServer)).isInstanceOfSatisfying(RevocationStatus.Unknown.class,
                unknown -> assertThat(unknown.why()).contains(down).contains("cannot be fetched"));
        assertThat(check(atMissingPath)).isInstanceOfSatisfying(RevocationStatus.Unknown.class,
                unknown -> assertThat(unknown.why()).contains("HTTP 404"));
    }

    @Test
    void shouldReportAnLdapDistributionPointAsNotFetched() {
        RevocationPki.User user = pki.user("user@partner.test", RevocationPki.serial(), null,
                "ldap://ldap.partner.test/cn=CRL%20Test%20Issuing%20CA?certificateRevocationList");

        assertThat(check(user)).isInstanceOfSatisfying(RevocationStatus.Unknown.class,
                unknown -> assertThat(unknown.why()).contains("ldap://ldap.partner.test/").contains("not fetched"));
    }

    @Test
    void shouldFindACertificateThatNamesNoRevocationSourceGoodWithThatSaid() {
        RevocationPki.User user = pki.user("user@partner.test", RevocationPki.serial(), null, null);

        assertThat(check(user)).isInstanceOfSatisfying(RevocationStatus.Good.class,
                good -> assertThat(good.source()).startsWith("no revocation source"));
    }

    @Test
    void shouldRefuseACrlLargerThanTheLimit() {
        String path = path();
        RevocationPki.User user = userWithCrl(path);
        serve(path, current(), Map.of());
        RevocationSettings tiny = new RevocationSettings(true, true, true, Duration.ofSeconds(5), 10, 64,
                Duration.ofMinutes(5), Duration.ofHours(1), 2);

        try (RevocationService service = service(tiny)) {
            assertThat(service.status(user.certificate(), pki.ca)).isInstanceOfSatisfying(RevocationStatus.Unknown.class,
                    unknown -> assertThat(unknown.why()).contains("more than 64 bytes"));
        }
    }

    @Test
    void shouldFetchTheCrlOnceWhileItIsCurrentAndTheServerAllowsCaching() {
        String path = path();
        RevocationPki.User user = userWithCrl(path);
        serve(path, current(), Map.of("Cache-Control", "max-age=3600"));

        try (RevocationService service = service(RevocationSettings.DEFAULTS)) {
            service.status(user.certificate(), pki.ca);
            service.status(user.certificate(), pki.ca);
        }

        assertThat(http.requests(path)).hasSize(1);
    }

    @Test
    void shouldFetchAgainWhenTheServerSaysNoCache() {
        String path = path();
        RevocationPki.User user = userWithCrl(path);
        serve(path, current(), Map.of("Cache-Control", "no-cache"));

        try (RevocationService service = service(RevocationSettings.DEFAULTS)) {
            service.status(user.certificate(), pki.ca);
            service.status(user.certificate(), pki.ca);
        }

        assertThat(http.requests(path)).hasSize(2);
    }

    @Test
    void shouldRevalidateWithTheEtagAndKeepTheCrlWhenNotModified() throws Exception {
        String path = path();
        RevocationPki.User user = userWithCrl(path);
        byte[] der = current().getEncoded();
        http.serve(path, request -> "\"v1\"".equals(request.header("If-None-Match"))
                ? new HttpFixture.Answer(304, new byte[0], Map.of("ETag", "\"v1\"", "Cache-Control", "max-age=0"))
                : HttpFixture.Answer.ok(der, Map.of("ETag", "\"v1\"", "Cache-Control", "max-age=0")));

        try (RevocationService service = service(RevocationSettings.DEFAULTS)) {
            assertThat(service.status(user.certificate(), pki.ca)).isInstanceOf(RevocationStatus.Good.class);
            assertThat(service.status(user.certificate(), pki.ca)).isInstanceOf(RevocationStatus.Good.class);
        }

        assertThat(http.requests(path)).extracting(r -> r.header("If-None-Match")).containsExactly(null, "\"v1\"");
    }

    @Test
    void shouldFetchAgainOnceTheCrlsNextUpdateHasPassedEvenWhenHttpWouldCacheIt() throws Exception {
        String path = path();
        RevocationPki.User user = userWithCrl(path);
        serve(path, pki.caCrl(Instant.now().minusSeconds(600), Instant.now().minusSeconds(1)), Map.of("Cache-Control", "max-age=86400"));
        RevocationSettings noSkew = new RevocationSettings(true, true, true, Duration.ofSeconds(5), 10, 1024 * 1024,
                Duration.ZERO, Duration.ofHours(1), 2);

        try (RevocationService service = service(noSkew)) {
            assertThat(service.status(user.certificate(), pki.ca)).isInstanceOf(RevocationStatus.Unknown.class);
            serve(path, current(user.certificate()), Map.of());
            assertThat(service.status(user.certificate(), pki.ca)).isInstanceOf(RevocationStatus.Revoked.class);
        }

        assertThat(http.requests(path)).hasSize(2);
    }

    @Test
    void shouldPrefetchAChainInTheBackgroundSoThatTheNextCheckAsksNoServer() throws Exception {
        String path = path();
        RevocationPki.User user = userWithCrl(path);
        serve(path, current(user.certificate()), Map.of());

        try (RevocationService service = service(RevocationSettings.DEFAULTS)) {
            service.prefetch(java.util.List.of(user.certificate(), pki.ca));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (http.requests(path).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(http.requests(path)).as("the prefetch asked the distribution point").hasSize(1);

            assertThat(service.status(user.certificate(), pki.ca)).isInstanceOf(RevocationStatus.Revoked.class);
        }
        assertThat(http.requests(path)).hasSize(1);
    }

    @Test
    void shouldWaitNoLongerThanMaxWaitAndKeepTheLateAnswerForTheNextMessage() throws Exception {
        String path = path();
        RevocationPki.User user = userWithCrl(path);
        serve(path, current(user.certificate()), Map.of());
        RevocationSettings shortWait = new RevocationSettings(true, true, true, Duration.ofMillis(200), 10, 1024 * 1024,
                Duration.ofMinutes(5), Duration.ofHours(1), 2);
        http.holdAnswers();
        try (RevocationService service = service(shortWait)) {
            var first = service.check(java.util.List.of(user.certificate(), pki.ca));

            assertThat(first).singleElement().satisfies(r -> assertThat(r.status())
                    .isInstanceOfSatisfying(RevocationStatus.Unknown.class,
                            unknown -> assertThat(unknown.why()).contains("sealgate.revocation.max-wait")));

            http.release();
            RevocationStatus later = service.status(user.certificate(), pki.ca);
            assertThat(later).isInstanceOf(RevocationStatus.Revoked.class);
        } finally {
            http.release();
        }
        assertThat(http.requests(path)).hasSize(1);
    }
}
