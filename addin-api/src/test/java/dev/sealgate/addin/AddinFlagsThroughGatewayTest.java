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
        // bob has no certificate: with the crypto step in the pipeline, a requested encryption is
        // refused under the default policy (REJECT); this test is about the flags, so let it go plain
        client.put().uri("/api/v1/admin/policies/global").header("X-Api-Key", KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("missingCertificate", "SEND_PLAIN")).exchange().expectStatus().isOk();
        FlagsResponse flags = client.post().uri("/api/v1/addin/flags")
                .headers(h -> h.setBearerAuth(idp.token("alice@corp.example")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new FlagsRequest(null, true, true, false, null, null)).exchange()
                .expectStatus().isOk().expectBody(FlagsResponse.class).returnResult().getResponseBody();

        Session session = Session.getInstance(new Properties());
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("alice@corp.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@partner.example"));
        message.setSubject("flags through the gateway");
        message.setText("contract attached");
        message.setHeader(flags.header(), flags.token());
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("127.0.0.1", listener.port(), null, null);
            transport.sendMessage(message, message.getAllRecipients());
        }

        SmtpSink.Received delivered = SINK.await(m -> m.text().contains("flags through the gateway"), 1, Duration.ofSeconds(15)).get(0);
        assertThat(delivered.text()).doesNotContainIgnoringCase("X-Sealgate-Flags").contains("contract attached");
        assertThat(AdminTracking.cryptoOperations(client, KEY, "bob@partner.example")).contains("add-in flags").contains("encrypt=true, sign=true");
    }
}
