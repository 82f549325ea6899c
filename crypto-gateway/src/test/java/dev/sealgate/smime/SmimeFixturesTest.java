package dev.sealgate.smime;

import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

/** Committed messages produced by OpenSSL in the shapes Outlook and others send (see fixtures/README.md). */
class SmimeFixturesTest {

    private static final String DIR = "/smime/fixtures/";
    private static final X509Certificate CA = certificate("fixture-ca.pem");
    private static final X509Certificate USER = certificate("fixture-user.pem");
    private static final PrivateKey KEY = key("fixture-user.key");

    @ParameterizedTest(name = "fixture verifies: {0}")
    @ValueSource(strings = {"multipart-signed-x-pkcs7-sha256-lf.eml", "multipart-signed-x-pkcs7-sha256-crlf.eml",
            "opaque-signed-x-pkcs7-mime-lf.eml", "opaque-signed-x-pkcs7-mime-no-smime-type-lf.eml"})
    void shouldVerifyFixture(String file) throws Exception {
        MimeMessage message = fixture(file);
        assertThat(SmimeInspector.detect(message)).isIn(SmimeType.SIGNED_DETACHED, SmimeType.SIGNED_OPAQUE);

        MimeSupport.Buffer inner = new MimeSupport.Buffer();
        VerificationResult result = new SmimeVerifier(TrustSettings.of(CA)).verify(message, inner);

        assertThat(result.status()).as(result.reason()).isEqualTo(VerificationStatus.VALID);
        assertThat(result.signerAddress()).contains("fixture@sealgate.test");
        assertFixtureContent(inner.toMessage());
    }

    @ParameterizedTest(name = "fixture decrypts: {0}")
    @ValueSource(strings = {"enveloped-x-pkcs7-mime-lf.eml", "enveloped-x-pkcs7-mime-crlf.eml",
            "enveloped-x-pkcs7-mime-no-smime-type-crlf.eml", "auth-enveloped-pkcs7-mime-crlf.eml"})
    void shouldDecryptFixture(String file) throws Exception {
        MimeMessage message = fixture(file);
        assertThat(SmimeInspector.detect(message)).isIn(SmimeType.ENVELOPED, SmimeType.AUTH_ENVELOPED);

        MimeMessage decrypted = new SmimeDecryptor(RecipientKeyResolver.of(KEY, USER)).decrypt(message);

        assertFixtureContent(decrypted);
        assertThat(decrypted.getSubject()).isEqualTo("fixture");
    }

    private static void assertFixtureContent(MimeMessage m) throws Exception {
        MimeMultipart mixed = (MimeMultipart) m.getContent();
        assertThat(mixed.getBodyPart(0).getContent()).isEqualTo("Grüße aus dem Fixture\r\n");
        assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("data.bin");
        try (InputStream in = mixed.getBodyPart(1).getInputStream()) {
            assertThat(in.readAllBytes()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
    }

    private static MimeMessage fixture(String name) throws Exception {
        try (InputStream in = SmimeFixturesTest.class.getResourceAsStream(DIR + name)) {
            return new MimeMessage(Messages.SESSION, in);
        }
    }

    private static X509Certificate certificate(String name) {
        try (InputStream in = SmimeFixturesTest.class.getResourceAsStream(DIR + name)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey key(String name) {
        try (PEMParser p = new PEMParser(new InputStreamReader(
                SmimeFixturesTest.class.getResourceAsStream(DIR + name), StandardCharsets.US_ASCII))) {
            return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) p.readObject());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
