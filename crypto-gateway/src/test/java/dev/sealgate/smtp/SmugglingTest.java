package dev.sealgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMTP smuggling: a second message hidden behind an end-of-data marker that this server and the
 * next hop read differently. Bare LF and bare CR are refused in commands and in DATA, so that no
 * such marker is ever taken for the end of a message.
 */
class SmugglingTest {

    @TempDir
    Path dataDir;

    private SmtpSink sink;
    private GatewayHarness gateway;

    @BeforeEach
    void start() {
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        sink.close();
    }

    @Test
    void shouldRefuseLfDotCrLfAndNotDeliverTheSmuggledMessage() throws Exception {
        assertSmugglingRefused("\n.\r\n", "LF");
    }

    @Test
    void shouldRefuseCrDotCrAndNotDeliverTheSmuggledMessage() throws Exception {
        assertSmugglingRefused("\r.\r", "CR");
    }

    @Test
    void shouldRefuseLfDotLf() throws Exception {
        assertSmugglingRefused("\n.\n", "LF");
    }

    @Test
    void shouldRefuseBareLfInACommand() throws Exception {
        try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
            c.greeting();
            assertThat(c.send("EHLO a\nMAIL FROM:<x@partner.example>\r\n")).startsWith("501");
        }
    }

    @Test
    void shouldStillAcceptACleanMessageWithADotLine() throws Exception {
        try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
            c.greeting();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<alice@partner.example>");
            c.command("RCPT TO:<bob@corp.example>");
            c.command("DATA");
            assertThat(c.send("Subject: dots\r\n\r\n..leading dot\r\n.\r\n")).startsWith("250");
        }
        assertThat(sink.awaitMessages(1, Duration.ofSeconds(10))).singleElement()
                .satisfies(m -> assertThat(m.text()).contains("\r\n.leading dot\r\n").doesNotContain("..leading"));
    }

    private void assertSmugglingRefused(String fakeEnd, String what) throws Exception {
        String smuggled = "Subject: first\r\n\r\nfirst body" + fakeEnd
                + "MAIL FROM:<admin@corp.example>\r\nRCPT TO:<victim@corp.example>\r\nDATA\r\n"
                + "Subject: smuggled\r\n\r\nsmuggled body\r\n.\r\n";
        try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
            c.greeting();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<alice@partner.example>")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@corp.example>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.send(smuggled)).startsWith("521 5.5.2 Bare <" + what + "> received");
            assertThat(c.closedByServer()).isTrue();
        }
        Thread.sleep(300);
        assertThat(sink.messages()).as("neither the first nor the smuggled message may be delivered").isEmpty();
        assertThat(gateway.tracking.search(new dev.sealgate.tracking.TrackingQuery(null, null, null, null, null, null, 10))).isEmpty();
    }
}
