package dev.sealgate.certprovider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sealgate.certprovider.testkit.TestPki;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CertificateProvider} does, whoever the CA behind it is. Each implementation's
 * test class implements this interface; the SwissSign ones run it against WireMock fakes that
 * sign real certificates for the CSR they receive.
 */
public interface CertificateProviderContract {

    String ADDRESS = "alice@example.org";
    String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";

    CertificateProvider provider();

    /** Asserts that the CA behind the provider recorded the revocation of {@code certificate}. */
    void assertRevoked(X509Certificate certificate, RevocationReason reason) throws Exception;

    default EnrollmentResult.Issued enrollUntilIssued(EnrollmentRequest request) throws Exception {
        EnrollmentResult result = provider().enroll(request);
        for (int attempt = 0; attempt < 20 && result instanceof EnrollmentResult.Pending pending; attempt++) {
            Thread.sleep(50);
            result = provider().poll(pending.order());
        }
        assertThat(result).isInstanceOf(EnrollmentResult.Issued.class);
        return (EnrollmentResult.Issued) result;
    }

    @Test
    default void shouldIssueACertificateForTheCsrKeyAndAddressWithEmailProtection() throws Exception {
        KeyPair keys = TestPki.rsaKeyPair();

        EnrollmentResult.Issued issued = enrollUntilIssued(new EnrollmentRequest(ADDRESS, TestPki.csr(keys, ADDRESS)));

        X509Certificate leaf = issued.chain().leaf();
        assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(leaf.getSubjectAlternativeNames()).contains(List.of(1, ADDRESS));
        assertThat(leaf.getExtendedKeyUsage()).contains(EMAIL_PROTECTION);
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        leaf.checkValidity();
    }

    @Test
    default void shouldIssueForAnEcKey() throws Exception {
        KeyPair keys = TestPki.ecKeyPair();

        EnrollmentResult.Issued issued = enrollUntilIssued(new EnrollmentRequest(ADDRESS, TestPki.csr(keys, ADDRESS)));

        assertThat(issued.chain().leaf().getPublicKey()).isEqualTo(keys.getPublic());
    }

    @Test
    default void shouldReturnAChainEachOfWhoseCertificatesIsSignedByTheNext() throws Exception {
        EnrollmentResult.Issued issued = enrollUntilIssued(
                new EnrollmentRequest(ADDRESS, TestPki.csr(TestPki.rsaKeyPair(), ADDRESS)));

        List<X509Certificate> chain = issued.chain().certificates();
        assertThat(chain).hasSizeGreaterThanOrEqualTo(2);
        for (int i = 0; i + 1 < chain.size(); i++) {
            chain.get(i).verify(chain.get(i + 1).getPublicKey());
            assertThat(chain.get(i).getIssuerX500Principal()).isEqualTo(chain.get(i + 1).getSubjectX500Principal());
        }
    }

    @Test
    default void shouldFetchTheChainOfAnIssuedOrderAgain() throws Exception {
        EnrollmentResult.Issued issued = enrollUntilIssued(
                new EnrollmentRequest(ADDRESS, TestPki.csr(TestPki.rsaKeyPair(), ADDRESS)));

        CertificateChain fetched = provider().fetchChain(issued.order());

        assertThat(fetched.leaf()).isEqualTo(issued.chain().leaf());
        assertThat(fetched.certificates()).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    default void shouldRevokeAnIssuedCertificate() throws Exception {
        X509Certificate leaf = enrollUntilIssued(
                new EnrollmentRequest(ADDRESS, TestPki.csr(TestPki.rsaKeyPair(), ADDRESS))).chain().leaf();

        provider().revoke(leaf, RevocationReason.KEY_COMPROMISE);

        assertRevoked(leaf, RevocationReason.KEY_COMPROMISE);
    }

    @Test
    default void shouldRefuseACsrWithoutProofOfPossessionAsInvalidRequest() {
        CertificateProviderException e = catchThrowableOfType(CertificateProviderException.class, () -> provider()
                .enroll(new EnrollmentRequest(ADDRESS, TestPki.csrWithoutProofOfPossession(ADDRESS))));

        assertThat(e.failure()).isEqualTo(ProviderFailure.INVALID_REQUEST);
        assertThat(e.getMessage()).isEqualTo("CSR for alice@example.org: its signature does not verify with its own"
                + " public key (no proof of possession); generate the CSR again with the key pair it names");
    }

    @Test
    default void shouldRefuseACsrForAnotherAddressAsInvalidRequest() {
        CertificateProviderException e = catchThrowableOfType(CertificateProviderException.class, () -> provider()
                .enroll(new EnrollmentRequest(ADDRESS, TestPki.csr(TestPki.rsaKeyPair(), "mallory@example.org"))));

        assertThat(e.failure()).isEqualTo(ProviderFailure.INVALID_REQUEST);
        assertThat(e.getMessage()).isEqualTo("CSR for alice@example.org: it names mallory@example.org, not"
                + " alice@example.org; generate the CSR for the address being enrolled");
    }

    @Test
    default void shouldRefuseACsrWithoutAddressOrWithAWeakKeyAsInvalidRequest() {
        CertificateProviderException noAddress = catchThrowableOfType(CertificateProviderException.class,
                () -> provider().enroll(new EnrollmentRequest(ADDRESS, TestPki.csrWithoutAddress(TestPki.rsaKeyPair()))));
        CertificateProviderException weak = catchThrowableOfType(CertificateProviderException.class, () -> provider()
                .enroll(new EnrollmentRequest(ADDRESS, TestPki.csr(TestPki.keyPair("RSA", 1024), ADDRESS))));

        assertThat(noAddress.failure()).isEqualTo(ProviderFailure.INVALID_REQUEST);
        assertThat(noAddress.getMessage()).contains("names no mail address");
        assertThat(weak.failure()).isEqualTo(ProviderFailure.INVALID_REQUEST);
        assertThat(weak.getMessage()).contains("only 1024 bits");
    }
}
