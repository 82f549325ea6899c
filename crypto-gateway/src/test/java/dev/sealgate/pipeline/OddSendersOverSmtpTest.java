package dev.sealgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.smtp.GatewayHarness;
import dev.sealgate.smtp.RawSmtp;
import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.storage.TestDatabase;
import dev.sealgate.tracking.EventQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounces and senders at domains that cannot carry a domain policy, through the whole mail path
 * with the crypto steps, over a real socket: delivered (RFC 5321 4.5.5 for the null sender), never
 * answered 451 for ever.
 */
class OddSendersOverSmtpTest {

    @TempDir
    Path dir;

    private TestDatabase db;
    private CryptoRig rig;
    private SmtpSink sink;
    private GatewayHarness gateway;

    @BeforeEach
    void start() throws Exception {
        db = TestDatabase.h2();
        rig = new CryptoRig(db.dataSource(), dir.resolve("rig"), false, Duration.ofHours(24));
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dir.resolve("gateway")).domains(Set.of(CryptoRig.OWN_DOMAIN)).allowForeignSenders(true)
                .nextHops(sink).steps(rig.flagsStep, rig.inbound, rig.outbound).start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        sink.close();
        db.close();
    }

    @Test
    void shouldAcceptAndDeliverABounceWithTheNullSender() throws Exception {
        assertThat(send("127.0.0.2", "", "bob@own.test")).startsWith("250 2.0.0");
        assertThat(sink.awaitMessages(1, Duration.ofSeconds(10))).singleElement()
                .satisfies(m -> assertThat(m.sender()).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@localhost", "alice@[192.0.2.1]", "alice@mailhost", "postmaster@LOCALHOST"})
    void shouldDeliverInboundMailFromSendersAtDomainsWithoutADomainPolicy(String sender) throws Exception {
        assertThat(send("127.0.0.2", sender, "bob@own.test")).startsWith("250 2.0.0");
        assertThat(sink.awaitMessages(1, Duration.ofSeconds(10))).singleElement()
                .satisfies(m -> assertThat(m.sender()).isEqualTo(sender));
        assertThat(gateway.events.find(EventQuery.latest(10))).noneMatch(e -> e.source().equals("pipeline"));
    }

    @Test
    void shouldDeliverOutboundMailToAnAddressAtASingleLabelDomainThroughTheSmartHost() throws Exception {
        assertThat(send("127.0.0.1", "alice@own.test", "carol@intranet")).startsWith("250 2.0.0");
        assertThat(sink.awaitMessages(1, Duration.ofSeconds(10))).singleElement()
                .satisfies(m -> assertThat(m.recipients()).containsExactly("carol@intranet"));
    }

    private String send(String client, String sender, String recipient) throws Exception {
        try (RawSmtp c = new RawSmtp(client, gateway.port())) {
            c.greeting();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<" + sender + ">")).startsWith("250");
            assertThat(c.command("RCPT TO:<" + recipient + ">")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            return c.send("From: <" + (sender.isEmpty() ? "MAILER-DAEMON@partner.test" : sender) + ">\r\nTo: <" + recipient
                    + ">\r\nSubject: odd sender\r\n\r\nbody\r\n.\r\n");
        }
    }
}
