package dev.sealgate.enrollment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.sealgate.certprovider.CertificateProvider;
import dev.sealgate.certprovider.RevocationReason;
import dev.sealgate.certprovider.local.LocalCaConfig;
import dev.sealgate.certprovider.local.LocalCertificateAuthority;
import dev.sealgate.certprovider.swisssign.rest.SwissSignRestClient;
import dev.sealgate.certprovider.swisssign.rest.SwissSignRestConfig;
import dev.sealgate.certprovider.testkit.MutableClock;
import dev.sealgate.certs.CertificateStore;
import dev.sealgate.certs.KeyPurpose;
import dev.sealgate.certs.MasterKey;
import dev.sealgate.certs.PrivateKeyCipher;
import dev.sealgate.certs.StoredCertificate;
import dev.sealgate.policy.PolicyRepository;
import dev.sealgate.policy.PolicyResolver;
import dev.sealgate.tracking.Event;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.tracking.EventQuery;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrollment end to end against real providers: the local CA, and the SwissSign RA API client
 * talking to WireMock for failures. Run on H2 and on PostgreSQL.
 */
public interface EnrollmentContract {

    DataSource dataSource();

    String SWISSSIGN_USER = "ra-user@own.example";
    String SWISSSIGN_SECRET = "ra-api-secret-0815";
    String PRODUCT = "pma-0a1b2c3d-0000-4000-8000-00000000abcd";

    /** The pieces of one enrollment service, wired as the service wires them. */
    final class Rig {
        final MutableClock clock = new MutableClock();
        final PrivateKeyCipher cipher = new PrivateKeyCipher(MasterKey.random());
        final CertificateStore store;
        final EnrollmentLog log;
        final EventLog events;
        final LocalCertificateAuthority localCa;
        final EnrollmentService service;
        final List<String> issuedTo = new ArrayList<>();

        final DeferredProvider deferred;

        Rig(DataSource dataSource, Path caDirectory, CertificateProvider swissSign, String domain, EnrollmentSettings settings) {
            store = new CertificateStore(dataSource, cipher, clock);
            log = new EnrollmentLog(dataSource, clock);
            events = new EventLog(dataSource, clock);
            try {
                localCa = LocalCertificateAuthority.openOrCreate(new LocalCaConfig(caDirectory, "ca-password".toCharArray()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            deferred = new DeferredProvider(localCa);
            Map<String, CertificateProvider> providers = swissSign == null
                    ? Map.of("local", localCa, "approval", deferred)
                    : Map.of("local", localCa, "approval", deferred, "swisssign", swissSign);
            ProviderSelector selector = new ProviderSelector(Map.of("swiss." + domain, "swisssign", "group:approval", "approval"),
                    Map.of("approval", List.of("approved@" + domain)), Set.of(domain, "swiss." + domain), "local");
            service = new EnrollmentService(store, cipher, log, providers, selector,
                    new PolicyResolver(new PolicyRepository(dataSource, clock)), events, settings, clock);
            service.addListener((address, certificate) -> issuedTo.add(address));
        }
    }

    private static String domain() {
        return "e" + Long.toHexString(System.nanoTime()) + ".example";
    }

    private static EnrollmentSettings fastEc() {
        return new EnrollmentSettings(EnrollmentSettings.KeyAlgorithm.EC, Duration.ofDays(14), Duration.ofMinutes(5),
                Duration.ofHours(1), 3, Duration.ofHours(24), Duration.ofMinutes(5));
    }

    @Test
    default void shouldEnrollFromTheLocalCaKeepTheKeyAndLogTheRequest(@TempDir Path ca) {
        String domain = domain();
        Rig rig = new Rig(dataSource(), ca, null, domain, fastEc());
        String address = "Alice@" + domain;

        EnrollmentOutcome outcome = rig.service.ensureCertificate(address);

        assertThat(outcome.status()).isEqualTo(EnrollmentOutcome.Status.ISSUED);
        StoredCertificate issued = outcome.certificate();
        assertThat(issued.hasPrivateKey()).isTrue();
        assertThat(issued.keyAlgorithm()).isEqualTo("EC");
        assertThat(rig.store.signingKey("alice@" + domain)).isPresent();
        assertThat(rig.store.chain(issued.certificate())).isNotEmpty();
        assertThat(rig.issuedTo).containsExactly("alice@" + domain);
        EnrollmentRecord request = outcome.request();
        assertThat(request.requestType()).isEqualTo(RequestType.CERTIFICATE_REQUEST);
        assertThat(request.requestStatus()).isEqualTo(RequestStatus.SUCCEEDED);
        assertThat(request.failureStatus()).isNull();
        assertThat(request.provider()).isEqualTo("local");
        assertThat(request.certificateId()).isEqualTo(issued.id());
        assertThat(issued.origin()).isEqualTo(dev.sealgate.certs.CertificateOrigin.enrolled("local"));
        assertThat(request.subject()).as("the log names the subject the CA issued").isEqualTo(issued.subject());
        assertThat(rig.log.find(new EnrollmentQuery(address, null, null, 10))).extracting(EnrollmentRecord::id)
                .containsExactly(request.id());

        EnrollmentOutcome again = rig.service.ensureCertificate(address);
        assertThat(again.status()).isEqualTo(EnrollmentOutcome.Status.AVAILABLE);
        assertThat(again.certificate().id()).isEqualTo(issued.id());
    }

    @Test
    default void shouldPollPendingOrderStoreTheCertificateWithTheWaitingKeyAndTellListeners(@TempDir Path ca) {
        String domain = domain();
        Rig rig = new Rig(dataSource(), ca, null, domain, fastEc());
        String address = "approved@" + domain;

        EnrollmentOutcome outcome = rig.service.ensureCertificate(address);

        assertThat(outcome.status()).isEqualTo(EnrollmentOutcome.Status.PENDING);
        assertThat(outcome.request().orderId()).isNotNull();
        assertThat(outcome.request().provider()).isEqualTo("approval");
        assertThat(rig.service.ensureCertificate(address).request().id()).isEqualTo(outcome.request().id());
        assertThat(rig.service.pollPending()).isEqualTo(1);
        assertThat(rig.issuedTo).isEmpty();

        rig.deferred.approve();
        rig.service.pollPending();

        EnrollmentRecord done = rig.log.get(outcome.request().id()).orElseThrow();
        assertThat(done.requestStatus()).isEqualTo(RequestStatus.SUCCEEDED);
        assertThat(rig.issuedTo).containsExactly(address);
        dev.sealgate.certs.OwnKey own = rig.store.signingKey(address).orElseThrow();
        assertThat(signsFor(own)).as("the key that waited with the order belongs to the issued certificate").isTrue();
        assertThat(rig.service.ensureCertificate(address).status()).isEqualTo(EnrollmentOutcome.Status.AVAILABLE);
    }

    private static boolean signsFor(dev.sealgate.certs.OwnKey own) {
        try {
            byte[] data = "probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
            signer.initSign(own.privateKey());
            signer.update(data);
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(own.certificate().getPublicKey());
            verifier.update(data);
            return verifier.verify(signature);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    default void shouldGenerateRsa3072KeysByDefault(@TempDir Path ca) {
        String domain = domain();
        Rig rig = new Rig(dataSource(), ca, null, domain, EnrollmentSettings.DEFAULTS);

        StoredCertificate issued = rig.service.ensureCertificate("bob@" + domain).certificate();

        assertThat(issued.keyAlgorithm()).isEqualTo("RSA");
        assertThat(((java.security.interfaces.RSAPublicKey) issued.certificate().getPublicKey()).getModulus().bitLength())
                .isEqualTo(3072);
    }

    @Test
    default void shouldNotEnrollForForeignDomainsOrWhenPolicySaysNo(@TempDir Path ca) {
        String domain = domain();
        Rig rig = new Rig(dataSource(), ca, null, domain, fastEc());
        new PolicyRepository(dataSource(), rig.clock).save(dev.sealgate.policy.PolicyScope.address("manual@" + domain),
                new dev.sealgate.policy.CryptoPolicy(null, null, null, null, null, null, null, null, false, null, null, null));

        EnrollmentOutcome foreign = rig.service.ensureCertificate("carol@partner.example");
        EnrollmentOutcome manual = rig.service.ensureCertificate("manual@" + domain);

        assertThat(foreign.status()).isEqualTo(EnrollmentOutcome.Status.NOT_ENROLLABLE);
        assertThat(foreign.reason()).contains("sealgate.enrollment.providers");
        assertThat(manual.status()).isEqualTo(EnrollmentOutcome.Status.NOT_ENROLLABLE);
        assertThat(rig.service.canEnroll("manual@" + domain)).isFalse();
        assertThat(rig.service.canEnroll("other@" + domain)).isTrue();
    }

    @Test
    default void shouldRevokeAtTheLocalCaAndRecordTheRevocation(@TempDir Path ca) throws Exception {
        String domain = domain();
        Rig rig = new Rig(dataSource(), ca, null, domain, fastEc());
        StoredCertificate issued = rig.service.ensureCertificate("dave@" + domain).certificate();

        EnrollmentRecord revocation = rig.service.revoke(issued.id(), RevocationReason.KEY_COMPROMISE);

        assertThat(revocation.requestType()).isEqualTo(RequestType.REVOCATION);
        assertThat(revocation.requestStatus()).isEqualTo(RequestStatus.SUCCEEDED);
        assertThat(rig.store.get(issued.id()).orElseThrow().revokedAt()).isNotNull();
        assertThat(rig.localCa.crl().getRevokedCertificate(issued.certificate().getSerialNumber())).isNotNull();
        assertThat(rig.store.findUsable("dave@" + domain, KeyPurpose.SIGNING, false)).isEmpty();
    }

    @Test
    default void shouldRenewOwnCertificatesDueWithinRenewBefore(@TempDir Path ca) {
        String domain = domain();
        EnrollmentSettings renewEarly = new EnrollmentSettings(EnrollmentSettings.KeyAlgorithm.EC, Duration.ofDays(400),
                Duration.ofMinutes(5), Duration.ofHours(1), 3, Duration.ofHours(24), Duration.ofMinutes(5));
        Rig rig = new Rig(dataSource(), ca, null, domain, renewEarly);
        StoredCertificate first = rig.service.ensureCertificate("erin@" + domain).certificate();

        int started = rig.service.renewExpiring();

        assertThat(started).isGreaterThanOrEqualTo(1);
        List<EnrollmentRecord> renewals = rig.log.find(new EnrollmentQuery("erin@" + domain, null, RequestType.RENEWAL, 10));
        assertThat(renewals).singleElement().satisfies(r -> {
            assertThat(r.requestStatus()).isEqualTo(RequestStatus.SUCCEEDED);
            assertThat(r.certificateId()).isNotEqualTo(first.id());
        });
    }

    @Test
    default void shouldLogTrustCenterErrorWithErrorTextRaiseAnEventAndRetryWithBackoff(@TempDir Path ca) {
        WireMockServer raApi = new WireMockServer(options().dynamicPort());
        raApi.start();
        try {
            raApi.stubFor(post(urlPathEqualTo("/v2/jwt/" + SWISSSIGN_USER))
                    .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            SwissSignRestClient swissSign = new SwissSignRestClient(new SwissSignRestConfig(
                    URI.create("http://localhost:" + raApi.port()), SWISSSIGN_USER, SWISSSIGN_SECRET, PRODUCT,
                    Duration.ofSeconds(2), Duration.ofSeconds(2), null, Duration.ZERO, null, null, null));
            String domain = domain();
            Rig rig = new Rig(dataSource(), ca, swissSign, domain, fastEc());
            String address = "test.benutzer@swiss." + domain;

            EnrollmentOutcome outcome = rig.service.ensureCertificate(address);

            assertThat(outcome.status()).isEqualTo(EnrollmentOutcome.Status.PENDING);
            EnrollmentRecord failed = rig.log.find(new EnrollmentQuery(address, RequestStatus.FAILED, null, 10)).get(0);
            assertThat(failed.requestType()).isEqualTo(RequestType.CERTIFICATE_REQUEST);
            assertThat(failed.failureStatus()).isEqualTo(FailureStatus.TRUST_CENTER_ERROR);
            assertThat(failed.provider()).isEqualTo("swisssign");
            assertThat(failed.errorText()).startsWith("Unexpected error from ")
                    .contains("Error type: dev.sealgate.certprovider.CertificateProviderException")
                    .contains("connection failed")
                    .doesNotContain(SWISSSIGN_SECRET);
            assertThat(failed.retryAt()).isEqualTo(rig.clock.instant().plus(Duration.ofMinutes(5)));
            List<Event> events = rig.events.find(new EventQuery(null, null, null, "enrollment", 10));
            assertThat(events).anySatisfy(e -> {
                assertThat(e.message()).isEqualTo("CertificateRequest for " + address
                        + " failed: TrustCenterError; retry 2 of 3 at " + failed.retryAt());
                assertThat(e.details()).contains("ID: " + failed.id()).contains("Failure status: TrustCenterError")
                        .doesNotContain(SWISSSIGN_SECRET);
            });

            assertThat(rig.service.retryDue()).isZero();
            rig.clock.advance(Duration.ofMinutes(5));
            assertThat(rig.service.retryDue()).isEqualTo(1);
            rig.clock.advance(Duration.ofMinutes(10));
            assertThat(rig.service.retryDue()).isEqualTo(1);
            rig.clock.advance(Duration.ofHours(2));
            assertThat(rig.service.retryDue()).isZero();

            List<EnrollmentRecord> attempts = rig.log.find(new EnrollmentQuery(address, null, RequestType.CERTIFICATE_REQUEST, 10));
            assertThat(attempts).extracting(EnrollmentRecord::attempt).containsExactly(3, 2, 1);
            assertThat(attempts.get(0).retryAt()).isNull();
            assertThat(rig.events.find(new EventQuery(null, null, null, "enrollment", 10)))
                    .anySatisfy(e -> assertThat(e.message()).endsWith("gave up after 3 attempts, enroll again from the "
                            + "admin API once the cause is fixed"));
        } finally {
            raApi.stop();
        }
    }

    @Test
    default void shouldDeleteOnlyFinishedRequestsOlderThanTheRetention() {
        String domain = domain();
        MutableClock clock = new MutableClock(Instant.parse("2010-01-01T10:00:00Z"));
        EnrollmentLog log = new EnrollmentLog(dataSource(), clock);
        EnrollmentRecord succeeded = log.start("a@" + domain, RequestType.CERTIFICATE_REQUEST, "local", "CN=a", 1);
        log.succeeded(succeeded.id(), null, null);
        EnrollmentRecord failed = log.start("b@" + domain, RequestType.CERTIFICATE_REQUEST, "local", "CN=b", 1);
        log.failed(failed.id(), FailureStatus.INVALID_REQUEST, "bad subject", null);
        EnrollmentRecord pending = log.start("c@" + domain, RequestType.CERTIFICATE_REQUEST, "local", "CN=c", 1);
        EnrollmentRecord retrying = log.start("d@" + domain, RequestType.CERTIFICATE_REQUEST, "local", "CN=d", 1);
        log.failed(retrying.id(), FailureStatus.TRUST_CENTER_ERROR, "unreachable", clock.instant().plus(Duration.ofMinutes(5)));

        int deleted = log.deleteFinishedBefore(clock.instant().plus(Duration.ofDays(1)));

        assertThat(deleted).isEqualTo(2);
        assertThat(log.get(succeeded.id())).isEmpty();
        assertThat(log.get(failed.id())).isEmpty();
        assertThat(log.get(pending.id())).as("pending stays").isPresent();
        assertThat(log.get(retrying.id())).as("waiting for a retry stays").isPresent();
        assertThat(log.deleteFinishedBefore(clock.instant().minus(Duration.ofDays(1)))).isZero();
    }
}
