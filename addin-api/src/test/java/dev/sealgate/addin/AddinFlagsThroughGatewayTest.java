package dev.sealgate.addin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.smtp.SmtpListener;
import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.testkit.AdminTracking;
import dev.sealgate.testkit.GatewayUnderTest;
import dev.sealgate.testkit.TestIdentityProvider;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The whole way: the add-in gets a flags token, the company server relays the message with it through
 * the gateway's SMTP listener, the gateway honours it in tracking and delivers the message without it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class AddinFlagsThroughGatewayTest {

    private static final String KEY = "test-admin-key-flags-0123456789";
    private static final SmtpSink SINK = SmtpSink.plain();
    private static final TestIdentityProvider idp = new TestIdentityProvider();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayUnderTest.register(registry, () -> dataDir, KEY, "corp.example", SINK, SINK);
        idp.register(registry);
    }

    @AfterAll
    static void stop() {
        SINK.close();
        idp.close();
    }

    @Autowired
    WebTestClient client;

    @Autowired
    SmtpListener listener;

    @Test
    void shouldHonourTheFlagsInTrackingAndDeliverWithoutTheHeader() throws Exception {
        allowPlain();
        FlagsResponse flags = flags("alice@corp.example", new FlagsRequest(null, true, true, false, null, null));

        send("alice@corp.example", "bob@partner.example", "flags through the gateway", Map.of(flags.header(), flags.token()));

        SmtpSink.Received delivered = SINK.await(m -> m.text().contains("flags through the gateway"), 1, Duration.ofSeconds(15)).get(0);
        assertThat(delivered.text()).doesNotContainIgnoringCase("X-Sealgate-Flags").contains("contract attached");
        assertThat(AdminTracking.cryptoOperations(client, KEY, "bob@partner.example")).contains("add-in flags").contains("encrypt=true, sign=true");
    }

    @Test
    void shouldIgnoreAFlagsHeaderCopiedOntoAnotherMessage() throws Exception {
        allowPlain();
        FlagsResponse flags = flags("alice@corp.example", new FlagsRequest(null, true, true, false, null, null));

        send("alice@corp.example", "dan@partner.example", "the first use", Map.of(flags.header(), flags.token()));
        SINK.await(m -> m.text().contains("the first use"), 1, Duration.ofSeconds(15));
        send("alice@corp.example", "erin@partner.example", "the replay", Map.of(flags.header(), flags.token()));
        SmtpSink.Received replayed = SINK.await(m -> m.text().contains("the replay"), 1, Duration.ofSeconds(15)).get(0);

        assertThat(AdminTracking.cryptoOperations(client, KEY, "dan@partner.example")).contains("encrypt=true, sign=true, large-files=false (header)");
        assertThat(AdminTracking.cryptoOperations(client, KEY, "erin@partner.example")).contains("add-in flags").contains("REPLAYED")
                .doesNotContain("encrypt=true");
        assertThat(replayed.text()).doesNotContainIgnoringCase("X-Sealgate-Flags");
    }

    @Test
    void shouldIgnoreBothHeadersCopiedOntoAnotherMessage() throws Exception {
        allowPlain();
        String id = "fedcba9876543210fedcba9876543210";
        FlagsResponse flags = flags("alice@corp.example", new FlagsRequest(null, true, true, false, null, id));
        Map<String, String> both = Map.of(flags.header(), flags.token(), "X-Sealgate-Correlation", id);

        send("alice@corp.example", "ivan@partner.example", "both headers, first use", both);
        SINK.await(m -> m.text().contains("both headers, first use"), 1, Duration.ofSeconds(15));
        send("alice@corp.example", "judy@partner.example", "both headers, copied", both);
        SINK.await(m -> m.text().contains("both headers, copied"), 1, Duration.ofSeconds(15));

        assertThat(AdminTracking.cryptoOperations(client, KEY, "ivan@partner.example")).contains("encrypt=true, sign=true, large-files=false (header)");
        assertThat(AdminTracking.cryptoOperations(client, KEY, "judy@partner.example")).contains("add-in flags").contains("REPLAYED")
                .doesNotContain("encrypt=true");
    }

    @Test
    void shouldFindTheFlagsByTheCorrelationHeaderOnlyForTheirSenderAndOnlyOnce() throws Exception {
        allowPlain();
        String id = "0123456789abcdef0123456789abcdef";
        flags("alice@corp.example", new FlagsRequest(null, true, false, false, null, id));

        send("mallory@corp.example", "frank@partner.example", "someone else's id", Map.of("X-Sealgate-Correlation", id));
        SINK.await(m -> m.text().contains("someone else's id"), 1, Duration.ofSeconds(15));
        send("alice@corp.example", "grace@partner.example", "header dropped by Outlook", Map.of("X-Sealgate-Correlation", id));
        SmtpSink.Received delivered = SINK.await(m -> m.text().contains("header dropped by Outlook"), 1, Duration.ofSeconds(15)).get(0);
        send("alice@corp.example", "heidi@partner.example", "the id once more", Map.of("X-Sealgate-Correlation", id));
        SINK.await(m -> m.text().contains("the id once more"), 1, Duration.ofSeconds(15));

        assertThat(AdminTracking.cryptoOperations(client, KEY, "frank@partner.example")).contains("add-in flags").doesNotContain("encrypt=true");
        assertThat(AdminTracking.cryptoOperations(client, KEY, "grace@partner.example")).contains("encrypt=true, sign=false, large-files=false (correlated)");
        assertThat(AdminTracking.cryptoOperations(client, KEY, "heidi@partner.example")).contains("add-in flags").doesNotContain("encrypt=true");
        assertThat(delivered.text()).doesNotContainIgnoringCase("X-Sealgate-Correlation");
    }

    @Test
    void shouldRefuseACorrelationIdThatIsNotARandomToken() {
        client.post().uri("/api/v1/addin/flags")
                .headers(h -> h.setBearerAuth(idp.token("alice@corp.example")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new FlagsRequest(null, true, false, false, null, "short\r\nBcc: x")).exchange()
                .expectStatus().isBadRequest();
    }

    /**
     * The recipients here have no certificate: with the crypto step in the pipeline, a requested
     * encryption is refused under the default policy (REJECT); these tests are about the flags, so
     * let such mail go plain.
     */
    private void allowPlain() {
        client.put().uri("/api/v1/admin/policies/global").header("X-Api-Key", KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("missingCertificate", "SEND_PLAIN")).exchange().expectStatus().isOk();
    }

    private FlagsResponse flags(String user, FlagsRequest request) {
        return client.post().uri("/api/v1/addin/flags")
                .headers(h -> h.setBearerAuth(idp.token(user)))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request).exchange()
                .expectStatus().isOk().expectBody(FlagsResponse.class).returnResult().getResponseBody();
    }

    private void send(String from, String to, String subject, Map<String, String> headers) throws Exception {
        Session session = Session.getInstance(new Properties());
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText("contract attached");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            message.setHeader(header.getKey(), header.getValue());
        }
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("127.0.0.1", listener.port(), null, null);
            transport.sendMessage(message, message.getAllRecipients());
        }
    }
}
