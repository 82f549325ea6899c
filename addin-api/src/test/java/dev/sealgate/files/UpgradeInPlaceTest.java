package dev.sealgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.queue.QueueFixtures;
import dev.sealgate.queue.QueueRepository;
import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.storage.Databases;
import dev.sealgate.testkit.ServiceProcess;
import dev.sealgate.testkit.TestIdentityProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Upgrade in place: the service starts on a data directory as the version before the blob store
 * left it (a queued message whose body is a plain file in {@code <data-dir>/spool}, a large file in
 * {@code <data-dir>/files/store}), moves both into the encrypted blob store, delivers the message and
 * serves the file.
 */
class UpgradeInPlaceTest {

    @TempDir
    Path dir;

    @Test
    void shouldTakeOverTheSpoolAndTheFilesOfTheOldLayoutOnFirstStart() throws Exception {
        Path dataDir = dir.resolve("data");
        String id = "20260501T100000Z-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "Received: from old\r\nFrom: alice@partner.example\r\nSubject: queued before the upgrade\r\n\r\n"
                + "delivered after the upgrade\r\n";
        byte[] file = "large file of the old layout\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        String key = LinkTokens.generate();
        String token = LinkTokens.generate();
        try (TestIdentityProvider idp = new TestIdentityProvider(); SmtpSink sink = SmtpSink.plain()) {
            DriverManagerDataSource db = new DriverManagerDataSource(Databases.embeddedUrl(dataDir), "sa", "");
            Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
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
            ServiceProcess service = ServiceProcess.start(dir.resolve("service.out"), List.of("-Xmx256m"),
                    List.of("--server.port=" + port,
                            "--sealgate.data-dir=" + dataDir,
                            "--sealgate.domains=corp.example",
                            "--sealgate.relay.inbound-next-hop=" + sink.hostAndPort(),
                            "--sealgate.smtp.port=" + ServiceProcess.freePort(),
                            "--sealgate.smtp.bind-address=127.0.0.1",
                            "--sealgate.queue.poll-interval=100ms",
                            "--sealgate.addin.auth.issuer=" + TestIdentityProvider.ISSUER,
                            "--sealgate.addin.auth.audience=" + TestIdentityProvider.AUDIENCE,
                            "--sealgate.addin.auth.jwk-set-uri=" + idp.jwksUrl()));
            try (service) {
                HttpClient http = HttpClient.newHttpClient();
                service.awaitHealthy(http, port);

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
            }
        }
    }
}
