package dev.sealgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.tracking.Event;
import dev.sealgate.tracking.EventQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-client-address limits over real sockets: a client over its limit gets 421 4.7.0, while a
 * client from another loopback address (127.0.0.3) is still served; a client that trickles its
 * command or its data is cut off at its time budget. 127.0.0.1 is the company server.
 */
class ClientLimitsTest {

    private static final Duration MINUTES = Duration.ofMinutes(5);

    @TempDir
    Path dataDir;

    private SmtpSink sink;
    private GatewayHarness gateway;

    @AfterEach
    void stop() {
        gateway.close();
        sink.close();
    }

    private void start(ClientLimits limits) {
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).maxConnections(50).limits(limits).start();
    }

    private static ClientLimits limits(int perClient, int perMinute, int messages, int recipients) {
        return new ClientLimits(perClient, perMinute, messages, recipients, MINUTES, MINUTES, true);
    }

    @Test
    void shouldRefuseAThirdConcurrentConnectionFromOneAddressAndServeAnother() throws Exception {
        start(limits(2, 0, 0, 0));
        try (RawSmtp first = new RawSmtp("127.0.0.2", gateway.port()); RawSmtp second = new RawSmtp("127.0.0.2", gateway.port())) {
            assertThat(first.greeting()).startsWith("220");
            assertThat(second.greeting()).startsWith("220");
            try (RawSmtp third = new RawSmtp("127.0.0.2", gateway.port())) {
                assertThat(third.greeting()).startsWith("421 4.7.0").contains("too many connections from 127.0.0.2");
                assertThat(third.closedByServer()).isTrue();
            }
            try (RawSmtp other = new RawSmtp("127.0.0.3", gateway.port())) {
                assertThat(other.greeting()).as("another address is still served").startsWith("220");
                assertThat(other.command("EHLO other.test")).startsWith("250");
            }
            assertThat(first.command("NOOP")).as("the admitted sessions go on").startsWith("250");
        }
        assertThat(awaitEvent("127.0.0.2")).hasValueSatisfying(e -> assertThat(e.message()).contains("421 4.7.0"));
    }

    @Test
    void shouldGiveASlotBackWhenAConnectionEnds() throws Exception {
        start(limits(1, 0, 0, 0));
        try (RawSmtp first = new RawSmtp("127.0.0.2", gateway.port())) {
            assertThat(first.greeting()).startsWith("220");
            assertThat(first.command("QUIT")).startsWith("221");
        }
        String greeting = null;
        for (int attempt = 0; attempt < 50 && (greeting == null || !greeting.startsWith("220")); attempt++) {
            Thread.sleep(attempt == 0 ? 0 : 50);
            try (RawSmtp again = new RawSmtp("127.0.0.2", gateway.port())) {
                greeting = again.greeting();
            }
        }
        assertThat(greeting).startsWith("220");
    }

    @Test
    void shouldRefuseConnectionsOverTheRatePerMinuteAndServeAnotherAddress() throws Exception {
        start(limits(0, 3, 0, 0));
        List<String> greetings = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
                greetings.add(c.greeting());
            }
        }
        assertThat(greetings.subList(0, 3)).allMatch(g -> g.startsWith("220"));
        assertThat(greetings.get(3)).startsWith("421 4.7.0").contains("per minute");
        try (RawSmtp other = new RawSmtp("127.0.0.3", gateway.port())) {
            assertThat(other.greeting()).startsWith("220");
        }
    }

    @Test
    void shouldCutOffAClientOverItsMessageRate() throws Exception {
        start(limits(0, 0, 2, 0));
        try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
            c.greeting();
            c.command("EHLO client.test");
            for (int i = 0; i < 2; i++) {
                assertThat(c.command("MAIL FROM:<alice@partner.example>")).startsWith("250");
                assertThat(c.command("RSET")).startsWith("250");
            }
            assertThat(c.command("MAIL FROM:<alice@partner.example>")).startsWith("421 4.7.0").contains("too many messages");
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawSmtp other = new RawSmtp("127.0.0.3", gateway.port())) {
            other.greeting();
            other.command("EHLO other.test");
            assertThat(other.command("MAIL FROM:<carol@partner.example>")).startsWith("250");
        }
    }

    @Test
    void shouldCutOffAClientOverItsRecipientRate() throws Exception {
        start(limits(0, 0, 0, 3));
        try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
            c.greeting();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<alice@partner.example>");
            for (int i = 0; i < 3; i++) {
                assertThat(c.command("RCPT TO:<bob" + i + "@corp.example>")).startsWith("250");
            }
            assertThat(c.command("RCPT TO:<bob9@corp.example>")).startsWith("421 4.7.0").contains("too many recipients");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void shouldNotLimitTheCompanyServerByDefault() throws Exception {
        start(limits(1, 1, 1, 1));
        try (RawSmtp first = new RawSmtp("127.0.0.1", gateway.port()); RawSmtp second = new RawSmtp("127.0.0.1", gateway.port())) {
            assertThat(first.greeting()).startsWith("220");
            assertThat(second.greeting()).startsWith("220");
            second.command("EHLO mail.corp.example");
            for (int i = 0; i < 3; i++) {
                assertThat(second.command("MAIL FROM:<alice@corp.example>")).startsWith("250");
                assertThat(second.command("RCPT TO:<x" + i + "@partner.example>")).startsWith("250");
                assertThat(second.command("RSET")).startsWith("250");
            }
        }
    }

    @Test
    void shouldCutOffAClientThatTricklesItsCommandLine() throws Exception {
        start(new ClientLimits(0, 0, 0, 0, Duration.ofSeconds(1), MINUTES, true));
        try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
            c.greeting();
            for (char ch : "EHLO a-very-slow-client.example".toCharArray()) {
                try {
                    c.write(String.valueOf(ch));
                } catch (java.io.IOException closed) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(c.reply()).as("cut off before the line was complete").startsWith("421").containsIgnoringCase("timeout");
        }
    }

    @Test
    void shouldCutOffAClientThatTricklesItsMessageData() throws Exception {
        start(new ClientLimits(0, 0, 0, 0, MINUTES, Duration.ofSeconds(1), true));
        try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
            c.greeting();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<alice@partner.example>");
            c.command("RCPT TO:<bob@corp.example>");
            assertThat(c.command("DATA")).startsWith("354");
            c.write("Subject: slow\r\n\r\n");
            for (int i = 0; i < 40; i++) {
                try {
                    c.write("x");
                } catch (java.io.IOException closed) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(c.reply()).startsWith("421 4.4.2").contains("timeout");
        }
        assertThat(gateway.tracking.search(new dev.sealgate.tracking.TrackingQuery(null, null, null, null, null, null, 5))).isEmpty();
    }

    private Optional<Event> awaitEvent(String client) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            Optional<Event> event = gateway.events.find(new EventQuery(null, null, null, "smtp", 20)).stream()
                    .filter(e -> e.message().contains(client)).findFirst();
            if (event.isPresent()) {
                return event;
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }
}
