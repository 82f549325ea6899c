package dev.sealgate.certprovider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sealgate.certprovider.CertificateProvider;
import dev.sealgate.certprovider.CertificateProviderContract;
import dev.sealgate.certprovider.CertificateProviderException;
import dev.sealgate.certprovider.EnrollmentRequest;
import dev.sealgate.certprovider.EnrollmentResult;
import dev.sealgate.certprovider.ProviderFailure;
import dev.sealgate.certprovider.RevocationReason;
import dev.sealgate.certprovider.testkit.MutableClock;
import dev.sealgate.certprovider.testkit.TestPki;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.bouncycastle.asn1.x509.CRLReason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCertificateAuthorityTest implements CertificateProviderContract {

    private static final char[] PASSWORD = "derived-from-master-key".toCharArray();

    @TempDir
    Path directory;

    private LocalCertificateAuthority ca;

    @BeforeEach
    void openCa() throws Exception {
        ca = LocalCertificateAuthority.openOrCreate(new LocalCaConfig(directory, PASSWORD));
    }

    @Override
    public CertificateProvider provider() {
        return ca;
    }

    @Override
    public void assertRevoked(X509Certificate certificate, RevocationReason reason) throws Exception {
        X509CRLEntry entry = parseCrl(ca.crlDer()).getRevokedCertificate(certificate.getSerialNumber());
        assertThat(entry).isNotNull();
        assertThat(entry.getRevocationReason().ordinal()).isEqualTo(reason.crlReason());
    }

    private X509Certificate issue(String address, boolean rsa) throws Exception {
        var keys = rsa ? TestPki.rsaKeyPair() : TestPki.ecKeyPair();
        return ((EnrollmentResult.Issued) ca.enroll(new EnrollmentRequest(address, TestPki.csr(keys, address))))
                .chain().leaf();
    }

    @Test
    void shouldAskForKeyEnciphermentWithRsaKeysAndKeyAgreementWithEcKeys() throws Exception {
        // KeyUsage bits: 0 digitalSignature, 1 nonRepudiation, 2 keyEncipherment, 4 keyAgreement
        boolean[] rsa = issue("alice@example.org", true).getKeyUsage();
        boolean[] ec = issue("alice@example.org", false).getKeyUsage();

        assertThat(rsa[0] && rsa[1] && rsa[2] && !rsa[4]).as("RSA key usage").isTrue();
        assertThat(ec[0] && ec[1] && !ec[2] && ec[4]).as("EC key usage").isTrue();
    }

    @Test
    void shouldIssueForOneYearByDefaultWithRandom128BitSerials() throws Exception {
        Set<BigInteger> serials = new HashSet<>();
        X509Certificate last = null;
        for (int i = 0; i < 5; i++) {
            last = issue("alice@example.org", false);
            serials.add(last.getSerialNumber());
            assertThat(last.getSerialNumber().bitLength()).isEqualTo(128);
        }

        assertThat(serials).hasSize(5);
        Duration validity = Duration.between(last.getNotBefore().toInstant(), last.getNotAfter().toInstant());
        assertThat(validity).isEqualTo(Duration.ofDays(365).plusMinutes(5));
    }

    @Test
    void shouldIssueWithTheConfiguredValidityAndCrlDistributionPoint() throws Exception {
        ca = LocalCertificateAuthority.openOrCreate(new LocalCaConfig(directory.resolve("other"), PASSWORD, "Acme",
                Duration.ofDays(30), null, java.net.URI.create("http://pki.example.org/ca.crl")));

        X509Certificate leaf = issue("bob@example.org", true);

        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(30).plusMinutes(5));
        assertThat(leaf.getExtensionValue("2.5.29.31")).isNotNull();
        assertThat(leaf.getIssuerX500Principal().getName()).contains("CN=Acme Issuing CA");
    }

    @Test
    void shouldLoadTheSameCaOnTheNextStart() throws Exception {
        X509Certificate leaf = issue("alice@example.org", true);

        LocalCertificateAuthority reopened = LocalCertificateAuthority.openOrCreate(new LocalCaConfig(directory, PASSWORD));

        assertThat(reopened.caCertificates()).isEqualTo(ca.caCertificates());
        leaf.verify(reopened.caCertificates().get(1).getPublicKey());
    }

    @Test
    void shouldKeepTheCaKeyStoreOwnerOnly() throws Exception {
        Path keyStore = directory.resolve("ca.p12");
        assertThat(keyStore).exists();
        if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyStore))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
        }
    }

    @Test
    void shouldRefuseToOpenWithAnotherPasswordAsConfigurationError() {
        CertificateProviderException e = catchThrowableOfType(CertificateProviderException.class,
                () -> LocalCertificateAuthority.openOrCreate(new LocalCaConfig(directory, "wrong".toCharArray())));

        assertThat(e.failure()).isEqualTo(ProviderFailure.CONFIGURATION_ERROR);
        assertThat(e.getMessage()).startsWith("local CA key store " + directory.resolve("ca.p12") + " cannot be opened")
                .endsWith("the master key changed or the file is damaged; restore the master key or the file from backup")
                .doesNotContain("derived-from-master-key");
    }

    @Test
    void shouldPublishRevokedSerialsInACrlWithNextUpdateAsDerAndPem() throws Exception {
        X509Certificate leaf = issue("alice@example.org", true);
        X509Certificate kept = issue("bob@example.org", true);

        ca.revoke(leaf, RevocationReason.SUPERSEDED);

        X509CRL der = parseCrl(ca.crlDer());
        X509CRL pem = parseCrl(ca.crlPem().getBytes(StandardCharsets.US_ASCII));
        assertThat(pem).isEqualTo(der);
        der.verify(ca.caCertificates().get(1).getPublicKey());
        assertThat(der.isRevoked(leaf)).isTrue();
        assertThat(der.isRevoked(kept)).isFalse();
        assertThat(der.getRevokedCertificate(leaf.getSerialNumber()).getRevocationReason().ordinal())
                .isEqualTo(CRLReason.superseded);
        assertThat(Duration.between(der.getThisUpdate().toInstant(), der.getNextUpdate().toInstant()))
                .isEqualTo(LocalCaConfig.DEFAULT_CRL_VALIDITY);
    }

    @Test
    void shouldKeepRevocationsAndCountCrlNumbersUpAcrossRestarts() throws Exception {
        X509Certificate leaf = issue("alice@example.org", true);
        ca.revoke(leaf, RevocationReason.KEY_COMPROMISE);
        BigInteger before = crlNumber(parseCrl(ca.crlDer()));

        LocalCertificateAuthority reopened = LocalCertificateAuthority.openOrCreate(new LocalCaConfig(directory, PASSWORD));

        X509CRL kept = parseCrl(reopened.crlDer());
        assertThat(kept.isRevoked(leaf)).isTrue();
        assertThat(crlNumber(kept)).as("a restart publishes the same CRL").isEqualTo(before);
        X509Certificate second = issue("bob@example.org", true);
        reopened.revoke(second, RevocationReason.SUPERSEDED);
        X509CRL next = parseCrl(reopened.crlDer());
        assertThat(next.isRevoked(leaf) && next.isRevoked(second)).isTrue();
        assertThat(crlNumber(next)).isGreaterThan(before);
    }

    @Test
    void shouldReissueTheCrlOnceHalfItsValidityHasPassed() throws Exception {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        MutableClock clock = new MutableClock(start);
        ca = LocalCertificateAuthority.openOrCreate(new LocalCaConfig(directory.resolve("clocked"), PASSWORD), clock);
        X509CRL first = ca.crl();

        clock.advance(Duration.ofDays(4));
        X509CRL second = ca.crl();

        assertThat(first.getNextUpdate().toInstant()).isEqualTo(start.plus(Duration.ofDays(7)));
        assertThat(second.getNextUpdate().toInstant()).isEqualTo(start.plus(Duration.ofDays(11)));
    }

    @Test
    void shouldRefuseToRevokeACertificateItDidNotIssue() {
        var foreignCa = TestPki.TestCa.root("Foreign CA");
        X509Certificate foreign = foreignCa.issueSmime(TestPki.csr(TestPki.ecKeyPair(), "x@example.org"), "x@example.org");

        CertificateProviderException e = catchThrowableOfType(CertificateProviderException.class,
                () -> ca.revoke(foreign, RevocationReason.UNSPECIFIED));

        assertThat(e.failure()).isEqualTo(ProviderFailure.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("was not issued by CN=Sealgate Local Issuing CA")
                .endsWith("revoke it at the CA that issued it");
    }

    @Test
    void shouldExposeRootAndIssuingCaAsPem() throws Exception {
        java.util.Collection<? extends java.security.cert.Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(ca.caCertificatesPem().getBytes(StandardCharsets.US_ASCII)));

        assertThat(java.util.List.copyOf(certificates)).isEqualTo(ca.caCertificates());
        assertThat(ca.caCertificates().get(0).getBasicConstraints()).isEqualTo(1);
        assertThat(ca.caCertificates().get(1).getBasicConstraints()).isEqualTo(0);
    }

    @Test
    void shouldNotShowThePasswordInItsConfiguration() {
        assertThat(new LocalCaConfig(directory, PASSWORD).toString()).doesNotContain("derived-from-master-key");
    }

    private static X509CRL parseCrl(byte[] bytes) throws Exception {
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(bytes));
    }

    private static BigInteger crlNumber(X509CRL crl) {
        byte[] value = crl.getExtensionValue("2.5.29.20");
        return org.bouncycastle.asn1.ASN1Integer.getInstance(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(value).getOctets()).getValue();
    }

}
