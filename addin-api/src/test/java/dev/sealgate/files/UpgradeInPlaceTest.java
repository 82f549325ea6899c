package dev.sealgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.certprovider.EnrollmentRequest;
import dev.sealgate.certprovider.EnrollmentResult;
import dev.sealgate.certprovider.RevocationReason;
import dev.sealgate.certprovider.local.LocalCaConfig;
import dev.sealgate.certprovider.local.LocalCertificateAuthority;
import dev.sealgate.certprovider.testkit.TestPki;
import dev.sealgate.certs.LocalCaMigration;
import dev.sealgate.certs.MasterKey;
import dev.sealgate.queue.QueueFixtures;
import dev.sealgate.queue.QueueRepository;
import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.storage.Databases;
import dev.sealgate.storage.TestDatabase;
import dev.sealgate.testkit.ServiceProcess;
import dev.sealgate.testkit.TestIdentityProvider;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Upgrade in place: the service starts on a data directory as the version before the blob store
 * and the cluster left it — a queued message whose body is a plain file in {@code <data-dir>/spool},
 * a large file in {@code <data-dir>/files/store}, and the local CA in {@code <data-dir>/ca} (the
 * PKCS#12 under a password from {@code <data-dir>/master.key}, with an issued and a revoked
 * certificate) — and moves all of it: the message is delivered, the file is served, {@code /pki/ca.pem}
 * serves the same CA certificates as before and {@code /pki/crl.pem} is signed by the old issuing CA
 * and still lists the revoked certificate. On the embedded H2 and on PostgreSQL (skipped without a
 * server, except with {@code CI=true}).
 */
class UpgradeInPlaceTest {

    @TempDir
    Path dir;

    @Test
    void shouldTakeOverTheSpoolTheFilesAndTheCaOfTheOldLayoutOnFirstStartOnH2() throws Exception {
        Path dataDir = dir.resolve("data");
        DriverManagerDataSource db = new DriverManagerDataSource(Databases.embeddedUrl(dataDir), "sa", "");
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
        upgrade(dataDir, db, List.of());
    }

    @Test
    void shouldTakeOverTheSpoolTheFilesAndTheCaOfTheOldLayoutOnFirstStartOnPostgres() throws Exception {
        try (TestDatabase db = TestDatabase.postgres()) {
            upgrade(dir.resolve("data"), db.dataSource(), List.of("--spring.datasource.url=" + db.jdbcUrl(),
                    "--spring.datasource.username=postgres"));
        }
    }

    private void upgrade(Path dataDir, DataSource db, List<String> databaseArguments) throws Exception {
        String id = "20260501T100000Z-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "Received: from old\r\nFrom: alice@partner.example\r\nSubject: queued before the upgrade\r\n\r\n"
                + "delivered after the upgrade\r\n";
        byte[] file = "large file of the old layout\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        String key = LinkTokens.generate();
        String token = LinkTokens.generate();
        OldCa oldCa = OldCa.create(dataDir);
        try (TestIdentityProvider idp = new TestIdentityProvider(); SmtpSink sink = SmtpSink.plain()) {
            new QueueRepository(db).enqueue(List.of(QueueFixtures.message(id, Instant.now(), "alice@partner.example",
                    sink.hostAndPort(), "bob@corp.example")));
            Files.writeString(Files.createDirectories(dataDir.resolve("spool")).resolve(id + ".eml"), body, StandardCharsets.US_ASCII);
            Instant now = Instant.now();
            FileRepository files = new FileRepository(db);
            String fileId = UUID.randomUUID().toString();
            files.insertFile(new FileRepository.FileRecord(fileId, key, "old.txt", "text/plain", file.length,
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)), "alice@corp.example", now,
                    now.plus(Duration.ofDays(7))));
            files.insertLink(UUID.randomUUID().toString(), fileId, LinkTokens.hash(token), null, null, now, now.plus(Duration.ofDays(7)));
            Path oldFile = Files.createDirectories(dataDir.resolve("files/store").resolve(key.substring(0, 2))).resolve(key);
            Files.write(oldFile, file);

            int port = ServiceProcess.freePort();
            List<String> arguments = new ArrayList<>(List.of("--server.port=" + port,
                    "--sealgate.data-dir=" + dataDir,
                    "--sealgate.domains=corp.example",
                    "--sealgate.relay.inbound-next-hop=" + sink.hostAndPort(),
                    "--sealgate.smtp.port=" + ServiceProcess.freePort(),
                    "--sealgate.smtp.bind-address=127.0.0.1",
                    "--sealgate.queue.poll-interval=100ms",
                    "--sealgate.addin.auth.issuer=" + TestIdentityProvider.ISSUER,
                    "--sealgate.addin.auth.audience=" + TestIdentityProvider.AUDIENCE,
                    "--sealgate.addin.auth.jwk-set-uri=" + idp.jwksUrl()));
            arguments.addAll(databaseArguments);
            ServiceProcess service = ServiceProcess.start(dir.resolve("service.out"), List.of("-Xmx256m"), arguments);
            try (service) {
                HttpClient http = HttpClient.newHttpClient();
                service.awaitHealthy(http, port, Duration.ofMinutes(6));

                SmtpSink.Received delivered = sink.await(m -> m.text().contains("delivered after the upgrade"), 1,
                        Duration.ofSeconds(60)).get(0);
                assertThat(delivered.recipients()).containsExactly("bob@corp.example");
                assertThat(dataDir.resolve("spool").resolve(id + ".eml")).doesNotExist();

                HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/portal/d/" + token))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("password=")).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(download.statusCode()).isEqualTo(200);
                assertThat(download.body()).isEqualTo(file);
                assertThat(oldFile).doesNotExist();
                assertThat(new String(Files.readAllBytes(dataDir.resolve("blobs/files").resolve(key)), StandardCharsets.ISO_8859_1))
                        .as("encrypted at rest").doesNotContain("large file of the old layout");

                CertificateFactory x509 = CertificateFactory.getInstance("X.509");
                HttpResponse<byte[]> caPem = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pki/ca.pem")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(caPem.statusCode()).isEqualTo(200);
                assertThat(List.<java.security.cert.Certificate>copyOf(x509.generateCertificates(new ByteArrayInputStream(caPem.body())))).as("the same CA as before the upgrade")
                        .containsExactly(oldCa.root(), oldCa.issuing());
                HttpResponse<byte[]> crlPem = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pki/crl.pem")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(crlPem.statusCode()).isEqualTo(200);
                X509CRL crl = (X509CRL) x509.generateCRL(new ByteArrayInputStream(crlPem.body()));
                crl.verify(oldCa.issuing().getPublicKey());
                assertThat(crl.getRevokedCertificate(oldCa.revoked())).as("revocations of the old CA are still published").isNotNull();
                assertThat(crl.getRevokedCertificate(oldCa.kept())).isNull();
                assertThat(dataDir.resolve("ca")).as("moved into the database").doesNotExist();
                assertThat(dataDir.resolve(LocalCaMigration.MOVED_DIRECTORY).resolve("ca.p12")).as("kept as a backup").exists();
            }
            // after the service stopped: the embedded H2 file is open in one process at a time
            assertThat(JdbcClient.create(db).sql("SELECT COUNT(*) FROM local_ca_issued").query(Integer.class).single())
                    .as("both issued certificates moved").isEqualTo(2);
        }
    }

    /** The local CA as a single node kept it before clusters: {@code <data-dir>/ca}, its password from {@code <data-dir>/master.key}. */
    private record OldCa(X509Certificate root, X509Certificate issuing, BigInteger kept, BigInteger revoked) {

        static OldCa create(Path dataDir) throws Exception {
            MasterKey masterKey = MasterKey.loadOrCreate(dataDir.resolve("master.key"));
            LocalCaConfig config = new LocalCaConfig(dataDir.resolve("ca"), masterKey.derivePassword("local-ca/pkcs12"));
            LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(config);
            X509Certificate kept = issue(ca, "alice@corp.example");
            X509Certificate revoked = issue(ca, "bob@corp.example");
            ca.revoke(revoked, RevocationReason.KEY_COMPROMISE);
            List<X509Certificate> chain = ca.caCertificates();
            return new OldCa(chain.get(0), chain.get(1), kept.getSerialNumber(), revoked.getSerialNumber());
        }

        private static X509Certificate issue(LocalCertificateAuthority ca, String address) throws Exception {
            return ((EnrollmentResult.Issued) ca.enroll(new EnrollmentRequest(address, TestPki.csr(TestPki.ecKeyPair(), address))))
                    .chain().leaf();
        }
    }
}
