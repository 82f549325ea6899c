package dev.sealgate.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import org.junit.jupiter.api.Test;

class CertificateParserTest {

    private static final TestPki PKI = TestPki.create("Parser CA");

    @Test
    void shouldReadPemWithCertificatesKeyAndCrl() throws Exception {
        TestPki.Issued issued = PKI.issue("olga@own.example");
        X509CRL crl = PKI.crl();
        String pem = TestPki.pem(PKI.caCertificate(), issued.certificate(), issued.keys().getPrivate(), crl);

        CertificateBundle bundle = CertificateParser.parse(pem.getBytes(StandardCharsets.US_ASCII), null);

        assertThat(bundle.keyEntries()).singleElement().satisfies(entry -> {
            assertThat(entry.certificate()).isEqualTo(issued.certificate());
            assertThat(entry.chain()).containsExactly(PKI.caCertificate());
            assertThat(entry.toString()).contains("privateKey=(hidden)");
        });
        assertThat(bundle.certificates()).containsExactly(PKI.caCertificate());
        assertThat(bundle.crls()).containsExactly(crl);
    }

    @Test
    void shouldReadDerCertificateAndDerCrl() throws Exception {
        X509CRL crl = PKI.crl();

        assertThat(CertificateParser.parse(PKI.caCertificate().getEncoded(), null).certificates()).containsExactly(PKI.caCertificate());
        assertThat(CertificateParser.parse(crl.getEncoded(), null).crls()).containsExactly(crl);
    }

    @Test
    void shouldRefusePkcs12WithoutOrWithWrongPasswordWithoutNamingIt() {
        byte[] p12 = PKI.issue("pia@own.example").pkcs12("right-password".toCharArray());

        assertThatThrownBy(() -> CertificateParser.parse(p12, null))
                .hasMessage("PKCS#12 needs its password: send it in the password field");
        assertThatThrownBy(() -> CertificateParser.parse(p12, "Wrong-Password-123".toCharArray()))
                .hasMessage("wrong PKCS#12 password");
    }

    @Test
    void shouldRefuseWhatIsNoCertificateSayingWhatWasExpected() {
        assertThatThrownBy(() -> CertificateParser.parse(new byte[] {1, 2, 3}, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a certificate: the data is neither PEM, a DER certificate, a DER CRL nor PKCS#12");
        assertThatThrownBy(() -> CertificateParser.parse(new byte[0], null))
                .hasMessageStartingWith("not a certificate: the request body is empty");
        String keyOnly = TestPki.pem(TestPki.rsa().getPrivate());
        assertThatThrownBy(() -> CertificateParser.parse(keyOnly.getBytes(StandardCharsets.US_ASCII), null))
                .hasMessage("not a certificate: the PEM data holds no CERTIFICATE or X509 CRL block");
        String foreignKey = TestPki.pem(PKI.caCertificate(), TestPki.rsa().getPrivate());
        assertThatThrownBy(() -> CertificateParser.parse(foreignKey.getBytes(StandardCharsets.US_ASCII), null))
                .hasMessageStartingWith("the PEM private key belongs to none of the certificates sent with it");
    }
}
