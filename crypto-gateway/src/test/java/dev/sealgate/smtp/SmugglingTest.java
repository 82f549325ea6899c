package dev.sealgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.tracking.EventQuery;
import dev.sealgate.tracking.TrackingQuery;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SMTP smuggling: a second message hidden behind an end-of-data marker that this server and the
 * next hop read differently. In both {@link BareNewline} modes no such marker is ever taken for the
 * end of a message: {@code reject} refuses the bare LF, {@code normalize} (the default) takes the
 * whole as one message whose lines it ends with CR LF, so the next hop sees no marker either. Bare
 * CR is refused in both.
 */
class SmugglingTest {

    private static final String SMUGGLED = "MAIL FROM:<admin@corp.example>\r\nRCPT TO:<victim@corp.example>\r\nDATA\r\n"
            + "Subject: smuggled\r\n\r\nsmuggled body\r\n.\r\n";

    @TempDir
    Path dataDir;

    private SmtpSink sink;
    private GatewayHarness gateway;

    @AfterEach
    void stop() {
        gateway.close();
        sink.close();
    }

    private void start(BareNewline mode) {
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).bareNewline(mode).start();
    }

    @Test
    void shouldRefuseLfDotCrLfWhenConfiguredToReject() throws Exception {
        assertSmugglingRefused("\n.\r\n", "LF");
    }

    @Test
    void shouldRefuseLfDotLfWhenConfiguredToReject() throws Exception {
        assertSmugglingRefused("\n.\n", "LF");
    }

    @ParameterizedTest
    @EnumSource(BareNewline.class)
    void shouldRefuseCrDotCrAndNotDeliverTheSmuggledMessage(BareNewline mode) throws Exception {
        start(mode);
        assertSmugglingRefusedIn(mode, "\r.\r", "CR");
    }

    @ParameterizedTest
    @EnumSource(value = BareNewline.class, names = "NORMALIZE")
    void shouldDeliverLfDotCrLfAsPartOfOneMessageWhenNormalizing(BareNewline mode) throws Exception {
        assertOneMessageWithTheSmuggledTextAsContent(mode, "\n.\r\n");
    }

    @ParameterizedTest
    @EnumSource(value = BareNewline.class, names = "NORMALIZE")
    void shouldDeliverLfDotLfAsPartOfOneMessageWhenNormalizing(BareNewline mode) throws Exception {
        assertOneMessageWithTheSmuggledTextAsContent(mode, "\n.\n");
    }

    @Test
    void shouldEndSloppyLfOnlyLinesWithCrLfWhenNormalizing() throws Exception {
        start(BareNewline.NORMALIZE);
        try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
            c.greeting();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<alice@partner.example>");
            c.command("RCPT TO:<bob@corp.example>");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.send("Subject: sloppy\n\nline one\nline two\r\n.\r\n")).startsWith("250");
        }
        assertThat(sink.awaitMessages(1, Duration.ofSeconds(10))).singleElement()
                .satisfies(m -> assertThat(m.text()).contains("Subject: sloppy\r\n\r\nline one\r\nline two\r\n")
                        .doesNotContain("two\n\n"));
    }

    @ParameterizedTest
    @EnumSource(BareNewline.class)
    void shouldRefuseBareLfInACommand(BareNewline mode) throws Exception {
        start(mode);
        try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
            c.greeting();
            assertThat(c.send("EHLO a\nMAIL FROM:<x@partner.example>\r\n")).startsWith("501");
        }
    }

    @ParameterizedTest
    @EnumSource(BareNewline.class)
    void shouldStillAcceptACleanMessageWithADotLine(BareNewline mode) throws Exception {
        start(mode);
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
        start(BareNewline.REJECT);
        assertSmugglingRefusedIn(BareNewline.REJECT, fakeEnd, what);
    }

    private void assertSmugglingRefusedIn(BareNewline mode, String fakeEnd, String what) throws Exception {
        try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
            c.greeting();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<alice@partner.example>")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@corp.example>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.send("Subject: first\r\n\r\nfirst body" + fakeEnd + SMUGGLED)).as(mode.name())
                    .startsWith("521 5.5.2 Bare <" + what + "> received");
            assertThat(c.closedByServer()).isTrue();
        }
        Thread.sleep(300);
        assertThat(sink.messages()).as("neither the first nor the smuggled message may be delivered").isEmpty();
        assertThat(gateway.tracking.search(new TrackingQuery(null, null, null, null, null, null, 10))).isEmpty();
        assertThat(gateway.events.find(new EventQuery(null, null, null, "smtp", 10)))
                .as("the refusal is an event, not only a log line")
                .anySatisfy(e -> assertThat(e.message()).contains("127.0.0.2", "Bare <" + what + ">"));
    }

    private void assertOneMessageWithTheSmuggledTextAsContent(BareNewline mode, String fakeEnd) throws Exception {
        start(mode);
        try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
            c.greeting();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<alice@partner.example>")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@corp.example>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.send("Subject: first\r\n\r\nfirst body" + fakeEnd + SMUGGLED)).startsWith("250 2.0.0");
            assertThat(c.command("NOOP")).as("the session is still in step").startsWith("250");
        }
        assertThat(sink.awaitMessages(1, Duration.ofSeconds(10))).singleElement().satisfies(m -> {
            assertThat(m.sender()).isEqualTo("alice@partner.example");
            assertThat(m.recipients()).containsExactly("bob@corp.example");
            assertThat(m.text()).contains("first body\r\n\r\nMAIL FROM:<admin@corp.example>\r\n").doesNotContain("\n.\r\n", "\n.\n");
        });
        Thread.sleep(300);
        assertThat(sink.messages()).as("no second, smuggled message").hasSize(1);
    }
}
