package dev.sealgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.tracking.EventQuery;
import dev.sealgate.tracking.TrackingQuery;
import dev.sealgate.tracking.TrackingRecord;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway with swaks as the client: "the internet" is swaks bound to 127.0.0.2. */
class SwaksInteropTest {

    @TempDir
    Path dataDir;

    private SmtpSink sink;
    private GatewayHarness gateway;

    @BeforeEach
    void start() {
        Swaks.requireInstalled();
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).maxMessageSize(100_000).start();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void shouldAcceptInboundMailOverStartTlsFromSwaks() throws Exception {
        Swaks.Result r = Swaks.run("--server", "127.0.0.1:" + gateway.port(), "--local-interface", "127.0.0.2",
                "--ehlo", "swaks.internet.test", "--from", "alice@partner.example", "--to", "bob@corp.example",
                "--header", "Subject: via swaks", "--body", "hello from swaks", "--tls");

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("250-DSN", "250-STARTTLS", "250 2.0.0 Ok: queued as");
        assertThat(sink.awaitMessages(1, Duration.ofSeconds(10))).singleElement()
                .satisfies(m -> assertThat(m.text()).contains("Subject: via swaks", "hello from swaks", "with ESMTPS"));
        TrackingRecord.Summary summary = gateway.tracking.search(new TrackingQuery(null, "bob@corp.example", null, null, null, null, 1)).get(0);
        TrackingRecord record = gateway.tracking.find(summary.id()).orElseThrow();
        assertThat(record.tlsProtocol()).startsWith("TLSv1.");
        assertThat(record.helo()).isEqualTo("swaks.internet.test");
    }

    @Test
    void shouldRefuseARelayAttemptFromSwaks() throws Exception {
        Swaks.Result r = Swaks.run("--server", "127.0.0.1:" + gateway.port(), "--local-interface", "127.0.0.2",
                "--from", "spammer@partner.example", "--to", "victim@elsewhere.example");

        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("550 5.7.1 Unable to relay: recipient victim@elsewhere.example is not of an own domain");
        assertThat(sink.messages()).isEmpty();
    }

    @Test
    void shouldRefuseAnOutdatedCipherAndAcceptTheSameClientInPlainTextAfterwards() throws Exception {
        Swaks.Result outdated = Swaks.run("--server", "127.0.0.1:" + gateway.port(), "--local-interface", "127.0.0.2",
                "--from", "alice@partner.example", "--to", "bob@corp.example", "--tls", "--tls-protocol", "tlsv1_2",
                "--tls-cipher", "AES128-SHA:ECDHE-ECDSA-AES128-SHA");
        assertThat(outdated.exitCode()).as(outdated.output()).isNotZero();
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
        while (gateway.events.find(new EventQuery(null, null, null, "smtp", 10)).isEmpty() && java.time.Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(gateway.events.find(new EventQuery(null, null, null, "smtp", 10))).as(outdated.output())
                .anySatisfy(e -> assertThat(e.message()).isEqualTo("Could not secure an inbound connection with the host 127.0.0.2"));

        Swaks.Result plain = Swaks.run("--server", "127.0.0.1:" + gateway.port(), "--local-interface", "127.0.0.2",
                "--from", "alice@partner.example", "--to", "bob@corp.example", "--body", "plain fallback");
        assertThat(plain.exitCode()).as(plain.output()).isZero();
        assertThat(sink.awaitMessages(1, Duration.ofSeconds(10))).singleElement()
                .satisfies(m -> assertThat(m.text()).contains("plain fallback"));
    }

    @Test
    void shouldRefuseAMessageOverTheSizeLimitFromSwaks() throws Exception {
        Path body = dataDir.resolve("big-body.txt");
        java.nio.file.Files.writeString(body, ("0123456789".repeat(7) + "\n").repeat(2000));
        Swaks.Result r = Swaks.run("--server", "127.0.0.1:" + gateway.port(), "--local-interface", "127.0.0.2",
                "--from", "alice@partner.example", "--to", "bob@corp.example", "--body", body.toString());

        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("552 5.3.4 Message size exceeds fixed maximum message size of 100000 bytes");
        assertThat(sink.messages()).isEmpty();
    }
}
