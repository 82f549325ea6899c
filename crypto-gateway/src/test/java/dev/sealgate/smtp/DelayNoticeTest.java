package dev.sealgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delay notices (RFC 3464 {@code Action: delayed}) for recipients that asked NOTIFY=DELAY, after the
 * delay warning time, at most once however often the next hop defers; none for the others.
 */
class DelayNoticeTest {

    @TempDir
    Path dataDir;

    private SmtpSink sink;
    private GatewayHarness gateway;

    @AfterEach
    void stop() {
        gateway.close();
        sink.close();
    }

    @Test
    void shouldWarnOnceThatMailIsDelayedWhenTheRecipientAskedForIt() throws Exception {
        sink = SmtpSink.plain();
        sink.deferFirst(12);
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).delayWarningTime(Duration.ofMillis(300)).start();
        try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
            c.greeting();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<alice@partner.example> ENVID=env-42")).startsWith("250");
            assertThat(c.command("RCPT TO:<deferbob@corp.example> NOTIFY=DELAY,FAILURE")).startsWith("250");
            assertThat(c.command("RCPT TO:<defercarol@corp.example> NOTIFY=FAILURE")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.send("Subject: slow\r\n\r\nx\r\n.\r\n")).startsWith("250");
        }

        List<SmtpSink.Received> delivered = sink.await(m -> !m.sender().isEmpty(), 2, Duration.ofSeconds(30));
        assertThat(delivered).flatExtracting(SmtpSink.Received::recipients)
                .containsExactlyInAnyOrder("deferbob@corp.example", "defercarol@corp.example");
        List<SmtpSink.Received> notices = sink.messages().stream().filter(m -> m.sender().isEmpty()).toList();
        assertThat(notices).as("one notice, for the recipient that asked, however often the mail was deferred").singleElement()
                .satisfies(n -> {
                    assertThat(n.recipients()).containsExactly("alice@partner.example");
                    assertThat(n.text()).contains("Subject: Delayed Mail (still being retried): slow")
                            .contains("Final-Recipient: rfc822; deferbob@corp.example").contains("Action: delayed")
                            .contains("Status: 4.4.7").contains("Will-Retry-Until: ").contains("Original-Envelope-Id: env-42")
                            .doesNotContain("defercarol");
                });
    }
}
