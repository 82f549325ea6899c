package dev.sealgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent connections and idle connections get clear replies, and the listener stays usable. */
class ConnectionLimitsTest {

    @TempDir
    Path dataDir;

    private SmtpSink sink;
    private GatewayHarness gateway;

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
    void shouldRefuseConnectionsBeyondTheLimitWith421() throws Exception {
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).maxConnections(2).start();
        try (RawSmtp first = new RawSmtp("127.0.0.2", gateway.port()); RawSmtp second = new RawSmtp("127.0.0.2", gateway.port())) {
            assertThat(first.greeting()).startsWith("220");
            assertThat(second.greeting()).startsWith("220");
            try (RawSmtp third = new RawSmtp("127.0.0.2", gateway.port())) {
                assertThat(third.greeting()).startsWith("421").containsIgnoringCase("too many connections");
            }
        }
        String greeting = null;
        for (int attempt = 0; attempt < 50 && (greeting == null || !greeting.startsWith("220")); attempt++) {
            Thread.sleep(attempt == 0 ? 0 : 50);
            try (RawSmtp again = new RawSmtp("127.0.0.2", gateway.port())) {
                greeting = again.greeting();
            }
        }
        assertThat(greeting).as("a slot is free again once the sessions ended").startsWith("220");
    }

    @Test
    void shouldCloseAnIdleConnectionWith421() throws Exception {
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).idleTimeout(Duration.ofMillis(500)).start();
        try (RawSmtp idle = new RawSmtp("127.0.0.2", gateway.port())) {
            assertThat(idle.greeting()).startsWith("220");
            assertThat(idle.command("EHLO client.test")).startsWith("250");
            assertThat(idle.reply()).as("after waiting").startsWith("421").containsIgnoringCase("timeout");
            assertThat(idle.closedByServer()).isTrue();
        }
    }
}
