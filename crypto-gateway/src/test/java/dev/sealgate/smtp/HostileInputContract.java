package dev.sealgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.tracking.EventQuery;
import dev.sealgate.tracking.TrackingQuery;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Control characters and NUL from a client, over a real socket, on each database (PostgreSQL
 * refuses NUL in a text column, so this is where a slip would show): refused with a precise reply,
 * never stored, the session stays usable, the refusal is an event.
 */
public interface HostileInputContract {

    /** The harness builder with the database under test. */
    GatewayHarness.Builder gateway(Path dataDir);

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\u001b", "\u0007", "\u007f", "\t"})
    default void shouldRefuseAControlCharacterInTheSenderWith501(String control, @TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.plain(); GatewayHarness gateway = gateway(dir).nextHops(sink).start();
             RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
            c.greeting();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<ali" + control + "ce@partner.example>")).startsWith("501 5.5.2 Control character");
            assertThat(c.command("MAIL FROM:<alice@partner.example>")).as("the session goes on").startsWith("250");
            assertThat(c.command("RCPT TO:<bob" + control + "@corp.example>")).startsWith("501 5.5.2 Control character");
            assertThat(c.command("RCPT TO:<bob@corp.example> NOTIFY=" + control + "SUCCESS")).startsWith("501 5.5.2");
            assertThat(gateway.events.find(new EventQuery(null, null, null, "smtp", 10)))
                    .anySatisfy(e -> assertThat(e.message()).contains("127.0.0.2", "Control character"));
        }
    }

    @Test
    default void shouldRefuseAControlCharacterInEhloAndHelo(@TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.plain(); GatewayHarness gateway = gateway(dir).nextHops(sink).start();
             RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
            c.greeting();
            assertThat(c.command("EHLO client\u0000.test")).startsWith("501 5.5.2");
            assertThat(c.command("HELO client\u001b.test")).startsWith("501 5.5.2");
            assertThat(c.command("MAIL FROM:<alice@partner.example>")).as("no HELO was taken").startsWith("503");
        }
    }

    @Test
    default void shouldRefuseANonAsciiAddressWithoutSmtputf8(@TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.plain(); GatewayHarness gateway = gateway(dir).nextHops(sink).start();
             RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
            c.greeting();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<jürgen@partner.example>")).startsWith("553 5.6.7");
        }
    }

    @Test
    default void shouldRefuseNulInTheMessageDataWith554AndStoreNothing(@TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.plain(); GatewayHarness gateway = gateway(dir).nextHops(sink).start()) {
            try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
                c.greeting();
                c.command("EHLO client.test");
                c.command("MAIL FROM:<alice@partner.example>");
                c.command("RCPT TO:<bob@corp.example>");
                assertThat(c.command("DATA")).startsWith("354");
                assertThat(c.send("Subject: nul\r\n\r\nbinary \u0000 byte\r\n.\r\n")).startsWith("554 5.6.0").contains("NUL");
                assertThat(c.command("NOOP")).as("the session stays in step").startsWith("250");
            }
            assertThat(gateway.tracking.search(new TrackingQuery(null, null, null, null, null, null, 10))).isEmpty();
            assertThat(gateway.events.find(new EventQuery(null, null, null, "smtp", 10)))
                    .anySatisfy(e -> assertThat(e.message()).contains("127.0.0.2", "NUL"));
        }
    }

    @Test
    default void shouldDeliverAMessageWhoseEncodedSubjectHidesANulAndTrackItWithoutTheNul(@TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.plain(); GatewayHarness gateway = gateway(dir).nextHops(sink).start()) {
            try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
                c.greeting();
                c.command("EHLO client.test");
                c.command("MAIL FROM:<alice@partner.example>");
                c.command("RCPT TO:<bob@corp.example>");
                assertThat(c.command("DATA")).startsWith("354");
                assertThat(c.send("Subject: =?utf-8?q?a=00b=1Bc?=\r\nFrom: =?utf-8?q?Eve=00?= <alice@partner.example>\r\n\r\nx\r\n.\r\n"))
                        .startsWith("250 2.0.0");
            }
            assertThat(sink.awaitMessages(1, Duration.ofSeconds(10))).hasSize(1);
            assertThat(gateway.tracking.search(new TrackingQuery(null, null, null, null, null, null, 10))).singleElement()
                    .satisfies(s -> assertThat(s.subject()).isEqualTo("a\uFFFDb\uFFFDc").doesNotContain("\u0000"));
        }
    }

    @Test
    default void shouldRefuseDataSentBeforeThe354AsImproperPipelining(@TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.plain(); GatewayHarness gateway = gateway(dir).nextHops(sink).start()) {
            try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
                c.greeting();
                c.command("EHLO client.test");
                c.write("MAIL FROM:<alice@partner.example>\r\nRCPT TO:<bob@corp.example>\r\nDATA\r\nSubject: early\r\n\r\nx\r\n.\r\n");
                assertThat(c.reply()).startsWith("250");
                assertThat(c.reply()).startsWith("250");
                assertThat(c.reply()).startsWith("554 5.5.0").contains("pipelining");
                assertThat(c.closedByServer()).isTrue();
            }
            assertThat(gateway.tracking.search(new TrackingQuery(null, null, null, null, null, null, 10))).isEmpty();
        }
    }

    @Test
    default void shouldAcceptProperPipeliningThatWaitsForThe354(@TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.plain(); GatewayHarness gateway = gateway(dir).nextHops(sink).start()) {
            try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
                c.greeting();
                c.command("EHLO client.test");
                c.write("MAIL FROM:<alice@partner.example>\r\nRCPT TO:<bob@corp.example>\r\nDATA\r\n");
                assertThat(c.reply()).startsWith("250");
                assertThat(c.reply()).startsWith("250");
                assertThat(c.reply()).startsWith("354");
                assertThat(c.send("Subject: pipelined\r\n\r\nx\r\n.\r\n")).startsWith("250 2.0.0");
            }
            assertThat(sink.awaitMessages(1, Duration.ofSeconds(10))).hasSize(1);
        }
    }
}
