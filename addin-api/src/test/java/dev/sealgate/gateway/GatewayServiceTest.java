package dev.sealgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.pipeline.PipelineStep;
import dev.sealgate.smtp.SmtpListener;
import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.testkit.GatewayUnderTest;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway role in the running service: mail through the listener Spring started, then the
 * admin API on what happened (tracking, export, queues, held mail).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class GatewayServiceTest {

    private static final String KEY = "test-admin-key-gateway-0123456789";
    private static final SmtpSink SINK = SmtpSink.plain();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayUnderTest.register(registry, () -> dataDir, KEY, "corp.example", SINK, SINK);
        registry.add("sealgate.queue.retry-initial", () -> "100ms");
        registry.add("sealgate.tracking.track-invalid-senders-and-recipients", () -> "true");
    }

    @TestConfiguration
    static class HoldTaggedMail {
        @Bean
        PipelineStep holdTagged() {
            return m -> {
                String subject = m.header("Subject");
                if (subject != null && subject.contains("[hold]")) {
                    m.deliveries().forEach(d -> m.hold(d, "held by test policy"));
                }
            };
        }
    }

    @AfterAll
    static void stopSink() {
        SINK.close();
    }

    @Autowired
    WebTestClient client;

    @Autowired
    SmtpListener listener;

    @Autowired
    MeterRegistry meters;

    @Test
    void shouldDeliverInboundMailAndShowItInTrackingAndExport() throws Exception {
        send("127.0.0.2", "alice@partner.example", "bob@corp.example", "tracked inbound");
        assertThat(SINK.await(m -> m.text().contains("tracked inbound"), 1, Duration.ofSeconds(15))).hasSize(1);

        String id = awaitTracking("bob@corp.example", "Success");
        client.get().uri("/api/v1/admin/tracking/{id}", id).header("X-Api-Key", KEY).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.clientAddress").isEqualTo("127.0.0.2")
                .jsonPath("$.helo").isEqualTo("client.internet.test")
                .jsonPath("$.direction").isEqualTo("INBOUND")
                .jsonPath("$.rule").isEqualTo("Inbound to own domains")
                .jsonPath("$.headerFrom").isEqualTo("alice@partner.example")
                .jsonPath("$.recipients[0].status").isEqualTo("DELIVERED")
                .jsonPath("$.attempts[0].nextHop").isEqualTo(SINK.hostAndPort())
                .jsonPath("$.attempts[0].reply").value(r -> assertThat((String) r).startsWith("250"));
        client.get().uri("/api/v1/admin/tracking/{id}/export", id).header("X-Api-Key", KEY).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectHeader().valueEquals("Content-Disposition", "attachment; filename=\"sealgate-tracking-" + id + ".json\"")
                .expectBody().jsonPath("$.id").isEqualTo(id);
        client.get().uri("/api/v1/admin/tracking/no-such-id").header("X-Api-Key", KEY).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("no tracking record with id no-such-id"));
    }

    @Test
    void shouldCountAndTrackRelayRefusalsWhenConfigured() throws Exception {
        try {
            send("127.0.0.2", "intruder@partner.example", "victim@elsewhere.example", "relay attempt");
        } catch (SendFailedException expected) {
            assertThat(expected.getMessage()).contains("Invalid Addresses");
        }
        assertThat(meters.counter("sealgate.smtp.relay.refused", "case", "inbound_foreign_recipient").count()).isGreaterThanOrEqualTo(1);
        awaitTracking("victim@elsewhere.example", "PermanentlyBlocked");
    }

    @Test
    void shouldHoldListReleaseAndDeleteHeldMailThroughTheAdminApi() throws Exception {
        send("127.0.0.1", "ceo@corp.example", "keep@partner.example", "[hold] keep");
        send("127.0.0.1", "ceo@corp.example", "drop@partner.example", "[hold] drop");
        String keep = awaitTracking("keep@partner.example", "PutOnHold");
        String drop = awaitTracking("drop@partner.example", "PutOnHold");

        client.get().uri("/api/v1/admin/held").header("X-Api-Key", KEY).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.messageId == '" + keep + "')].reason").isEqualTo(List.of("held by test policy"));
        client.get().uri("/api/v1/admin/queues").header("X-Api-Key", KEY).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[0].nextHop").isEqualTo(SINK.hostAndPort()).jsonPath("$[0].held").isEqualTo(2);

        client.post().uri("/api/v1/admin/held/{id}/release", keep).header("X-Api-Key", KEY).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.released").isEqualTo(1);
        client.delete().uri("/api/v1/admin/held/{id}", drop).header("X-Api-Key", KEY).exchange()
                .expectStatus().isNoContent();
        client.delete().uri("/api/v1/admin/held/{id}", drop).header("X-Api-Key", KEY).exchange()
                .expectStatus().isNotFound();

        assertThat(SINK.await(m -> m.recipients().contains("keep@partner.example"), 1, Duration.ofSeconds(15))).hasSize(1);
        awaitTracking("keep@partner.example", "Success");
        awaitTracking("drop@partner.example", "PermanentlyBlocked");
        assertThat(SINK.messages()).noneMatch(m -> m.recipients().contains("drop@partner.example"));
    }

    private void send(String localAddress, String from, String to, String subject) throws MessagingException {
        Properties p = new Properties();
        p.setProperty("mail.smtp.localaddress", localAddress);
        p.setProperty("mail.smtp.localhost", "client.internet.test");
        Session session = Session.getInstance(p);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject);
        m.setText("body of " + subject);
        try (Transport t = session.getTransport("smtp")) {
            t.connect("127.0.0.1", listener.port(), null, null);
            t.sendMessage(m, m.getAllRecipients());
        }
    }

    @SuppressWarnings("unchecked")
    private String awaitTracking(String recipient, String status) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(deadline)) {
            List<Map<String, Object>> found = client.get()
                    .uri(b -> b.path("/api/v1/admin/tracking").queryParam("recipient", recipient).queryParam("status", status).build())
                    .header("X-Api-Key", KEY).exchange()
                    .expectStatus().isOk()
                    .expectBodyList(Map.class).returnResult().getResponseBody().stream().map(m -> (Map<String, Object>) m).toList();
            if (!found.isEmpty()) {
                return (String) found.get(0).get("id");
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no tracking record for " + recipient + " with status " + status + " within 15 s");
    }
}
