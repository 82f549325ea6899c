package dev.sealgate.certprovider.swisssign.cmc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.certprovider.CertificateProvider;
import dev.sealgate.certprovider.CertificateProviderContract;
import dev.sealgate.certprovider.EnrollmentRequest;
import dev.sealgate.certprovider.EnrollmentResult;
import dev.sealgate.certprovider.RevocationReason;
import dev.sealgate.certprovider.testkit.TestPki;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider contract against a WireMock CMC interface over mutual TLS that signs the CSRs it gets. */
class SwissSignCmcClientTest implements CertificateProviderContract {

    @TempDir
    Path directory;

    private CmcFixture cmc;
    private SwissSignCmcClient client;

    @BeforeEach
    void startCmc() throws Exception {
        cmc = new CmcFixture(directory).stubCmc("issue");
        client = cmc.client();
    }

    @AfterEach
    void stopCmc() {
        cmc.close();
    }

    @Override
    public CertificateProvider provider() {
        return client;
    }

    @Override
    public void assertRevoked(X509Certificate certificate, RevocationReason reason) {
        assertThat(cmc.fake.revocations).anySatisfy(revocation -> {
            assertThat(revocation.getSerialNumber()).isEqualTo(certificate.getSerialNumber());
            assertThat(revocation.getName()).isEqualTo(X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded()));
            assertThat(revocation.getReason().getValue().intValue()).isEqualTo(reason.crlReason());
        });
    }

    @Test
    void shouldPollAPendingOrderUntilItIsIssued() throws Exception {
        cmc.stubCmc("pending");
        KeyPair keys = TestPki.rsaKeyPair();

        EnrollmentResult first = client.enroll(new EnrollmentRequest(ADDRESS, TestPki.csr(keys, ADDRESS)));
        EnrollmentResult second = client.poll(first.order());

        assertThat(first).isInstanceOf(EnrollmentResult.Pending.class);
        assertThat(((EnrollmentResult.Pending) first).status()).isEqualTo("pending: waiting for RA approval");
        assertThat(first.order().id()).startsWith("pend:");
        assertThat(second).isInstanceOf(EnrollmentResult.Issued.class);
        assertThat(((EnrollmentResult.Issued) second).chain().leaf().getPublicKey()).isEqualTo(keys.getPublic());
    }

    @Test
    void shouldSendTheCsrAsItIsSignedWithTheAutoRaoKey() throws Exception {
        var csr = TestPki.csr(TestPki.ecKeyPair(), ADDRESS);

        client.enroll(new EnrollmentRequest(ADDRESS, csr));

        assertThat(cmc.fake.requestedCsrs).containsExactly(csr);
        assertThat(cmc.fake.requestSigners).singleElement()
                .satisfies(signer -> assertThat(signer.getSubject().toString()).isEqualTo("O=Sealgate Test,CN=Sealgate AutoRAO"));
    }

    @Test
    void shouldReadAVersion1StatusInfo() throws Exception {
        cmc.stubCmc("issueV1");
        KeyPair keys = TestPki.ecKeyPair();

        EnrollmentResult result = client.enroll(new EnrollmentRequest(ADDRESS, TestPki.csr(keys, ADDRESS)));

        assertThat(result).isInstanceOf(EnrollmentResult.Issued.class);
        assertThat(((EnrollmentResult.Issued) result).chain().certificates()).hasSize(3);
    }
}
