package dev.sealgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.blob.EncryptedBlobStore;
import dev.sealgate.blob.S3BlobStore;
import dev.sealgate.certs.MasterKey;
import dev.sealgate.queue.Spool;
import dev.sealgate.queue.TestSpools;
import dev.sealgate.testkit.S3ProxyServer;
import dev.sealgate.tracking.EventQuery;
import dev.sealgate.tracking.MessageStatus;
import dev.sealgate.tracking.TrackingRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool in an S3 bucket (S3Proxy): a body damaged in the bucket after it was stored (a byte of
 * the object flipped) is not delivered; its recipient fails with {@code 554 5.3.0} and an event
 * names the message — the spool read checks the size and SHA-256 of the queue row, as on the file
 * store ({@code DeliveryTest}).
 */
class DamagedSpoolOnS3Test {

    private static final String BUCKET = "spool-damage";

    @TempDir
    Path dir;

    @Test
    void shouldFailTheRecipientsOfABodyDamagedInTheBucketInsteadOfDeliveringIt() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("s3")); SmtpSink sink = SmtpSink.plain()) {
            s3.createBucket(BUCKET);
            S3BlobStore raw = new S3BlobStore(new S3BlobStore.Location(s3.endpoint(), S3ProxyServer.REGION, BUCKET, "",
                    S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, true), dir.resolve("staging"));
            // as another node, or this one after a restart, reads it: from the bucket, not from memory (ADR 0151)
            Spool spool = TestSpools.readingFromTheStore(new EncryptedBlobStore(raw, MasterKey.random()), dir.resolve("work"));
            try (raw; GatewayHarness gateway = GatewayHarness.builder(dir.resolve("data")).nextHops(sink).spool(spool).steps(m -> {
                // behind the gateway's back: a byte of the stored (encrypted) object flips after it was written
                Path object = s3.objectFile(BUCKET, Spool.PREFIX + m.deliveries().get(0).content().name());
                byte[] stored = Files.readAllBytes(object);
                stored[stored.length - 20] ^= 0x01;
                Files.write(object, stored);
            }).start()) {
                String id;
                try (RawSmtp c = new RawSmtp("127.0.0.1", gateway.port())) {
                    c.greeting();
                    c.command("EHLO mail.corp.example");
                    assertThat(c.command("MAIL FROM:<ceo@corp.example>")).startsWith("250");
                    assertThat(c.command("RCPT TO:<partner@partner.example>")).startsWith("250");
                    assertThat(c.command("DATA")).startsWith("354");
                    String reply = c.send("From: ceo@corp.example\r\nTo: partner@partner.example\r\nSubject: figures\r\n\r\n"
                            + "The figures.\r\n.\r\n");
                    assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");
                    id = reply.substring("250 2.0.0 Ok: queued as ".length()).trim();
                }

                TrackingRecord record = awaitStatus(gateway, id, MessageStatus.PermanentlyBlocked);
                assertThat(record.recipients().get(0).detail()).startsWith("554 5.3.0");
                assertThat(sink.find(m -> m.recipients().contains("partner@partner.example"))).as("nothing delivered").isEmpty();
                assertThat(gateway.events.find(new EventQuery(null, null, null, "queue", 10)))
                        .anySatisfy(e -> assertThat(e.message()).contains(id).contains("damaged"));
            }
        }
    }

    private static TrackingRecord awaitStatus(GatewayHarness gateway, String id, MessageStatus status) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(120);
        TrackingRecord record = null;
        while (Instant.now().isBefore(deadline)) {
            record = gateway.tracking.find(id).orElseThrow();
            if (record.status() == status) {
                return record;
            }
            Thread.sleep(50);
        }
        assertThat(record.status()).as("status of " + id + ": " + record).isEqualTo(status);
        return record;
    }
}
