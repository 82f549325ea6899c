package dev.sealgate.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What OpenSSL makes, the store reads; what the store exports, OpenSSL reads. */
class OpenSslInteropTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void requireOpenSsl() {
        boolean present;
        try {
            present = new ProcessBuilder("openssl", "version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            present = false;
        }
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("openssl is not on the PATH: with CI=true the interop tests must run");
        }
        Assumptions.assumeTrue(present, "openssl is not on the PATH: skipping the OpenSSL interop tests");
    }

    private String openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl %s: %s", String.join(" ", args), output).isZero();
        return output;
    }

    private void makeKeyAndCertificate(String address) throws IOException, InterruptedException {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "30",
                "-subj", "/CN=" + address, "-addext", "subjectAltName=email:" + address,
                "-addext", "keyUsage=critical,digitalSignature,keyEncipherment",
                "-addext", "extendedKeyUsage=emailProtection", "-addext", "basicConstraints=critical,CA:FALSE");
    }

    @Test
    void shouldReadPkcs12MadeByOpenSslInItsDefaultAndLegacyFormats() throws Exception {
        makeKeyAndCertificate("quinn@own.example");
        openssl("pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem", "-out", "modern.p12", "-passout", "pass:Open-Ssl-Pw");
        openssl("pkcs12", "-export", "-legacy", "-inkey", "key.pem", "-in", "cert.pem", "-out", "legacy.p12",
                "-passout", "pass:Open-Ssl-Pw");

        for (String file : List.of("modern.p12", "legacy.p12")) {
            CertificateBundle bundle = CertificateParser.parse(Files.readAllBytes(dir.resolve(file)), "Open-Ssl-Pw".toCharArray());
            assertThat(bundle.keyEntries()).as(file).singleElement().satisfies(entry -> {
                assertThat(Certificates.addresses(entry.certificate())).containsKey(MailAddress.parse("quinn@own.example"));
                assertThat(KeyPairs.matches(entry.certificate().getPublicKey(), entry.privateKey())).isTrue();
            });
        }
    }

    @Test
    void shouldReadOpenSslPemKeyWithItsCertificateAndAgreeOnTheFingerprint() throws Exception {
        makeKeyAndCertificate("ruth@own.example");
        byte[] pem = (Files.readString(dir.resolve("cert.pem")) + Files.readString(dir.resolve("key.pem"))).getBytes(StandardCharsets.US_ASCII);

        CertificateBundle bundle = CertificateParser.parse(pem, null);
        X509Certificate certificate = bundle.keyEntries().get(0).certificate();
        Files.write(dir.resolve("exported.der"), Certificates.encoded(certificate));
        String fingerprint = openssl("x509", "-inform", "DER", "-in", "exported.der", "-noout", "-fingerprint", "-sha256");

        assertThat(fingerprint.substring(fingerprint.indexOf('=') + 1).trim().replace(":", "").toLowerCase(Locale.ROOT))
                .isEqualTo(Certificates.fingerprint(certificate));
        assertThat(Certificates.allows(certificate, KeyPurpose.SIGNING)).isTrue();
        assertThat(Certificates.allows(certificate, KeyPurpose.ENCRYPTION)).isTrue();
    }
}
