package dev.sealgate.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.certs.Certificates;
import dev.sealgate.certs.OwnKey;
import dev.sealgate.certs.StoredCertificate;
import dev.sealgate.storage.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A certificate enrolled from the local CA is one OpenSSL accepts for S/MIME signing and encryption. */
class EnrolledCertificateOpenSslTest {

    private static TestDatabase db;

    @BeforeAll
    static void start() {
        boolean present;
        try {
            present = new ProcessBuilder("openssl", "version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            present = false;
        }
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("openssl is not on the PATH: with CI=true the interop tests must run");
        }
        Assumptions.assumeTrue(present, "openssl is not on the PATH: skipping the OpenSSL interop test");
        db = TestDatabase.h2();
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    private static String pem(X509Certificate certificate) {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(Certificates.encoded(certificate))
                + "\n-----END CERTIFICATE-----\n";
    }

    @Test
    void shouldIssueCertificatesOpenSslVerifiesForSmimeSigningAndEncryption(@TempDir Path dir) throws Exception {
        EnrollmentContract.Rig rig = new EnrollmentContract.Rig(db.dataSource(), dir.resolve("ca"), null, "interop.example",
                EnrollmentSettings.DEFAULTS);
        StoredCertificate issued = rig.service.ensureCertificate("sam@interop.example").certificate();
        OwnKey own = rig.store.signingKey("sam@interop.example").orElseThrow();
        Files.writeString(dir.resolve("leaf.pem"), pem(issued.certificate()));
        Files.writeString(dir.resolve("root.pem"), pem(rig.localCa.caCertificates().get(0)));
        Files.writeString(dir.resolve("issuing.pem"), pem(rig.localCa.caCertificates().get(1)));

        for (String purpose : new String[] {"smimesign", "smimeencrypt"}) {
            Process verify = new ProcessBuilder("openssl", "verify", "-purpose", purpose, "-CAfile", "root.pem",
                    "-untrusted", "issuing.pem", "leaf.pem").directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(output).as(purpose).contains("leaf.pem: OK");
        }
        assertThat(own.chain()).containsExactly(rig.localCa.caCertificates().get(1), rig.localCa.caCertificates().get(0));
    }
}
