package dev.sealgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.policy.RelayRejection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay decision as a client sees it: each "Unable to relay" case on the wire, and the mail
 * that must pass. 127.0.0.2 is the internet, 127.0.0.1 the company mail server.
 */
class RelayOverSmtpTest {

    private static final String INTERNET = "127.0.0.2";
    private static final String COMPANY = "127.0.0.1";

    @TempDir
    Path dataDir;

    private SmtpSink sink;
    private GatewayHarness gateway;

    private GatewayHarness start(GatewayHarness.Builder builder) {
        sink = SmtpSink.plain();
        gateway = builder.nextHops(sink).start();
        return gateway;
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
    void shouldRelayInboundMailForAnOwnDomainToTheCompanyServer() throws Exception {
        start(GatewayHarness.builder(dataDir));
        try (RawSmtp c = new RawSmtp(INTERNET, gateway.port())) {
            assertThat(c.greeting()).startsWith("220");
            assertThat(c.command("EHLO client.internet.test")).contains("250-DSN", "250-PIPELINING", "250-ENHANCEDSTATUSCODES",
                    "250-STARTTLS", "250-SIZE 1048576", "250-8BITMIME").doesNotContain("CHUNKING");
            assertThat(c.command("MAIL FROM:<alice@partner.example>")).startsWith("250 2.1.0");
            assertThat(c.command("RCPT TO:<bob@corp.example>")).startsWith("250 2.1.5");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.send("Subject: hello\r\nFrom: alice@partner.example\r\n\r\nHi Bob\r\n.\r\n")).startsWith("250 2.0.0 Ok: queued as ");
        }
        assertThat(sink.awaitMessages(1, Duration.ofSeconds(10))).singleElement().satisfies(m -> {
            assertThat(m.recipients()).containsExactly("bob@corp.example");
            assertThat(m.text()).contains("Received: from client.internet.test ([127.0.0.2])", "Hi Bob");
        });
    }

    @Test
    void case1ShouldRefuseInboundMailWithAnOwnSender() throws Exception {
        start(GatewayHarness.builder(dataDir));
        try (RawSmtp c = session(INTERNET)) {
            assertThat(c.command("MAIL FROM:<ceo@corp.example>")).startsWith("550 5.7.1 Unable to relay")
                    .contains("ceo@corp.example", "not one of that domain's mail servers")
                    .as("strangers learn nothing about our configuration keys").doesNotContain("sealgate.");
        }
        assertThat(gateway.refusals).extracting(RelayRefusal::rejection).containsExactly(RelayRejection.INBOUND_OWN_SENDER);
    }

    @Test
    void case1ShouldAcceptAnOwnSenderFromACompanyServer() throws Exception {
        start(GatewayHarness.builder(dataDir));
        try (RawSmtp c = session(COMPANY)) {
            assertThat(c.command("MAIL FROM:<ceo@corp.example>")).startsWith("250");
            assertThat(c.command("RCPT TO:<partner@partner.example>")).startsWith("250");
        }
    }

    @Test
    void case2ShouldRefuseOutboundMailWithAForeignSender() throws Exception {
        start(GatewayHarness.builder(dataDir));
        try (RawSmtp c = session(COMPANY)) {
            assertThat(c.command("MAIL FROM:<someone@elsewhere.example>")).startsWith("550 5.7.1 Unable to relay")
                    .contains("sealgate.relay.allow-foreign-senders");
        }
        assertThat(gateway.refusals).extracting(RelayRefusal::rejection).containsExactly(RelayRejection.OUTBOUND_FOREIGN_SENDER);
    }

    @Test
    void case2ShouldAcceptAForeignSenderWhenAllowed() throws Exception {
        start(GatewayHarness.builder(dataDir).allowForeignSenders(true));
        try (RawSmtp c = session(COMPANY)) {
            assertThat(c.command("MAIL FROM:<someone@elsewhere.example>")).startsWith("250");
            assertThat(c.command("RCPT TO:<partner@partner.example>")).startsWith("250");
        }
        assertThat(gateway.refusals).isEmpty();
    }

    @Test
    void case3ShouldRefuseInboundMailToAForeignDomain() throws Exception {
        start(GatewayHarness.builder(dataDir));
        try (RawSmtp c = session(INTERNET)) {
            assertThat(c.command("MAIL FROM:<spammer@partner.example>")).startsWith("250");
            assertThat(c.command("RCPT TO:<victim@elsewhere.example>")).startsWith("550 5.7.1 Unable to relay")
                    .contains("victim@elsewhere.example is not of an own domain");
            assertThat(c.command("RCPT TO:<bob@corp.example>")).startsWith("250");
        }
        assertThat(gateway.refusals).extracting(RelayRejection -> RelayRejection.rejection())
                .containsExactly(RelayRejection.INBOUND_FOREIGN_RECIPIENT);
    }

    @Test
    void case3ShouldNameTheMissingSettingWhenNoOwnDomainIsConfigured() throws Exception {
        start(GatewayHarness.builder(dataDir).domains(Set.of()));
        try (RawSmtp c = session(INTERNET)) {
            assertThat(c.command("MAIL FROM:<alice@partner.example>")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@corp.example>"))
                    .isEqualTo("550 5.7.1 Unable to relay: no own domains configured: set sealgate.domains");
        }
    }

    @Test
    void case4ShouldRefuseWhenNoRuleMatches() throws Exception {
        start(GatewayHarness.builder(dataDir));
        gateway.rules.delete("Outbound from company mail servers");
        try (RawSmtp c = session(COMPANY)) {
            assertThat(c.command("MAIL FROM:<ceo@corp.example>")).startsWith("250");
            assertThat(c.command("RCPT TO:<partner@partner.example>")).startsWith("550 5.7.1 Unable to relay")
                    .contains("no message-flow rule matches outbound mail");
        }
        assertThat(gateway.refusals).extracting(RelayRefusal::rejection).containsExactly(RelayRejection.NO_MATCHING_RULE);
    }

    @Test
    void shouldLimitRecipientsPerMessageWithATemporaryReply() throws Exception {
        start(GatewayHarness.builder(dataDir));
        try (RawSmtp c = session(INTERNET)) {
            assertThat(c.command("MAIL FROM:<alice@partner.example>")).startsWith("250");
            for (int i = 0; i < 5; i++) {
                assertThat(c.command("RCPT TO:<user" + i + "@corp.example>")).startsWith("250");
            }
            assertThat(c.command("RCPT TO:<user5@corp.example>")).startsWith("452 4.5.3 Too many recipients");
        }
    }

    @Test
    void shouldAnswerSizeAtMailFromAndEnforceItDuringData() throws Exception {
        start(GatewayHarness.builder(dataDir).maxMessageSize(2000));
        try (RawSmtp c = session(INTERNET)) {
            assertThat(c.command("MAIL FROM:<alice@partner.example> SIZE=5000")).startsWith("552 5.3.4");
            assertThat(c.command("MAIL FROM:<alice@partner.example> SIZE=100")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@corp.example>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.send("Subject: big\r\n\r\n" + ("x".repeat(70) + "\r\n").repeat(40) + ".\r\n"))
                    .startsWith("552 5.3.4 Message size exceeds fixed maximum message size of 2000 bytes");
            assertThat(c.command("NOOP")).startsWith("250");
        }
        assertThat(sink.messages()).isEmpty();
    }

    @Test
    void shouldRefuseOverlongLinesInData() throws Exception {
        start(GatewayHarness.builder(dataDir));
        try (RawSmtp c = session(INTERNET)) {
            c.command("MAIL FROM:<alice@partner.example>");
            c.command("RCPT TO:<bob@corp.example>");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.send("Subject: long\r\n\r\n" + "y".repeat(1200) + "\r\n.\r\n")).startsWith("500 5.5.2 Line longer than 998");
        }
    }

    @Test
    void shouldRefuseAnOversizeHeaderSection() throws Exception {
        start(GatewayHarness.builder(dataDir));
        try (RawSmtp c = session(INTERNET)) {
            c.command("MAIL FROM:<alice@partner.example>");
            c.command("RCPT TO:<bob@corp.example>");
            assertThat(c.command("DATA")).startsWith("354");
            String headers = ("X-Filler: " + "h".repeat(900) + "\r\n").repeat(80);
            assertThat(c.send(headers + "\r\nbody\r\n.\r\n")).startsWith("552 5.3.4 Header section larger than 65536 bytes");
            assertThat(c.command("NOOP")).startsWith("250");
        }
    }

    private RawSmtp session(String localAddress) throws Exception {
        RawSmtp c = new RawSmtp(localAddress, gateway.port());
        c.greeting();
        c.command("EHLO test.client");
        return c;
    }
}
