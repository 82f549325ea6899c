package dev.sealgate.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.net.OutboundHttp;
import dev.sealgate.smime.CertificateRevocation;
import dev.sealgate.smime.Messages;
import dev.sealgate.smime.RevocationStatus;
import dev.sealgate.smime.SigningOptions;
import dev.sealgate.smime.SmimeSigner;
import dev.sealgate.smime.SmimeVerifier;
import dev.sealgate.smime.TrustSettings;
import dev.sealgate.smime.VerificationCheck;
import dev.sealgate.smime.VerificationResult;
import dev.sealgate.smime.VerificationStatus;
import java.security.cert.CRLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole chain is checked, not only the signer: a signed message verified by the engine with the
 * gateway's revocation checker, the issuing CA's certificate covered by the root's CRL and the
 * signer's by the issuing CA's CRL, both served over HTTP.
 */
class ChainRevocationTest {

    private HttpFixture http;
    private RevocationPki pki;
    private RevocationPki.User signer;
    private RevocationService service;

    @BeforeEach
    void start() throws Exception {
        http = new HttpFixture();
        pki = new RevocationPki("Chain Test", http.url("/root.crl"));
        signer = pki.user("signer@partner.test", RevocationPki.serial(), null, http.url("/ca.crl"));
        service = new RevocationService(new OutboundHttp(OutboundHttp.OutboundHttpSettings.DEFAULTS), RevocationSettings.DEFAULTS,
                StoredRevocation.NONE, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        service.close();
        http.close();
    }

    private VerificationResult verify() {
        SmimeSigner smimeSigner = new SmimeSigner(signer.key(), List.of(signer.certificate(), pki.ca), SigningOptions.defaults());
        TrustSettings trust = TrustSettings.of(pki.root).withRevocation(service);
        return new SmimeVerifier(trust).verify(Messages.reparse(smimeSigner.sign(Messages.text(signer.email(), "chain"))));
    }

    private void serve(String path, java.security.cert.X509CRL crl) throws CRLException {
        http.serve(path, HttpFixture.Answer.ok(crl.getEncoded(), Map.of()));
    }

    private static Instant ago() {
        return Instant.now().minusSeconds(60);
    }

    private static Instant ahead() {
        return Instant.now().plus(Duration.ofDays(1));
    }

    @Test
    void shouldBeValidWhenEveryCertificateOfTheChainIsGood() throws Exception {
        serve("/root.crl", pki.rootCrl(ago(), ahead()));
        serve("/ca.crl", pki.caCrl(ago(), ahead()));

        VerificationResult result = verify();

        assertThat(result.status()).isEqualTo(VerificationStatus.VALID);
        assertThat(result.revocation()).extracting(CertificateRevocation::certificate).containsExactly(signer.certificate(), pki.ca);
        assertThat(result.revocation()).allSatisfy(r -> assertThat(r.status()).isInstanceOf(RevocationStatus.Good.class));
    }

    @Test
    void shouldBeRevokedWhenTheIssuingCaIsRevokedThoughTheSignerIsGood() throws Exception {
        serve("/root.crl", pki.rootCrl(ago(), ahead(), pki.ca));
        serve("/ca.crl", pki.caCrl(ago(), ahead()));

        VerificationResult result = verify();

        assertThat(result.status()).isEqualTo(VerificationStatus.REVOKED);
        assertThat(result.failed()).contains(VerificationCheck.REVOCATION);
        assertThat(result.reason()).contains("the CA certificate").contains("Chain Test Issuing CA").contains("cACompromise");
        assertThat(result.revocation().get(0).status()).isInstanceOf(RevocationStatus.Good.class);
        assertThat(result.revocation().get(1).status()).isInstanceOfSatisfying(RevocationStatus.Revoked.class,
                revoked -> assertThat(revoked.reason()).isEqualTo("cACompromise"));
    }

    @Test
    void shouldBeRevokedWhenTheSignerIsRevoked() throws Exception {
        serve("/root.crl", pki.rootCrl(ago(), ahead()));
        serve("/ca.crl", pki.caCrl(ago(), ahead(), signer.certificate()));

        VerificationResult result = verify();

        assertThat(result.status()).isEqualTo(VerificationStatus.REVOKED);
        assertThat(result.reason()).startsWith("the signer certificate");
    }

    @Test
    void shouldBeRevocationUnknownWhenTheRootsCrlIsStale() throws Exception {
        serve("/root.crl", pki.rootCrl(Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(2))));
        serve("/ca.crl", pki.caCrl(ago(), ahead()));

        VerificationResult result = verify();

        assertThat(result.status()).isEqualTo(VerificationStatus.REVOCATION_UNKNOWN);
        assertThat(result.valid()).isFalse();
        assertThat(result.failed()).isEmpty();
        assertThat(result.reason()).contains("Chain Test Issuing CA").contains("is stale");
    }

    @Test
    void shouldTellAnAddressMismatchBeforeAnUnknownRevocation() throws Exception {
        serve("/root.crl", pki.rootCrl(ago(), ahead()));
        SmimeSigner smimeSigner = new SmimeSigner(signer.key(), List.of(signer.certificate(), pki.ca), SigningOptions.defaults());

        VerificationResult result = new SmimeVerifier(TrustSettings.of(pki.root).withRevocation(service))
                .verify(Messages.reparse(smimeSigner.sign(Messages.text("someone.else@partner.test", "chain"))));

        assertThat(result.status()).isEqualTo(VerificationStatus.ADDRESS_MISMATCH);
        assertThat(result.reason()).startsWith("header From someone.else@partner.test");
    }
}
