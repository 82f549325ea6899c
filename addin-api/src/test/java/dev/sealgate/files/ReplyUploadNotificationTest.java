package dev.sealgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.testkit.TestIdentityProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A reply upload's notification is real mail: it goes through the gateway's queue to the inbound
 * next hop (the company mail server, here an SMTP sink) and is tracked like any other message; with
 * the default sender {@code sealgate@localhost}, whose domain can carry no domain policy.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "60s")
class ReplyUploadNotificationTest {

    private static final String KEY = "test-admin-key-reply-notification";
    private static final SmtpSink COMPANY_SERVER = SmtpSink.plain();
    private static final SmtpSink INTERNET = SmtpSink.plain();
    private static final TestIdentityProvider idp = new TestIdentityProvider();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.admin.api-key", () -> KEY);
        registry.add("sealgate.domains", () -> "corp.example");
        registry.add("sealgate.relay.inbound-next-hop", COMPANY_SERVER::hostAndPort);
        registry.add("sealgate.relay.outbound-smarthost", INTERNET::hostAndPort);
        registry.add("sealgate.smtp.bind-address", () -> "127.0.0.1");
        registry.add("sealgate.smtp.host-name", () -> "gateway.test");
        registry.add("sealgate.queue.poll-interval", () -> "100ms");
        registry.add("sealgate.files.public-base-url", () -> "https://files.corp.example");
        idp.register(registry);
    }

    @AfterAll
    static void stop() {
        COMPANY_SERVER.close();
        INTERNET.close();
        idp.close();
    }

    @Autowired
    WebTestClient client;

    @Test
    void shouldDeliverTheReplyUploadNoticeToTheOwnerThroughTheInboundNextHopAndTrackIt() throws Exception {
        String url = client.post().uri("/api/v1/files/reply-links").headers(h -> h.setBearerAuth(idp.token("alice@corp.example")))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("expiresInDays", 7)).exchange()
                .expectStatus().isCreated()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                }).returnResult().getResponseBody().get("url").toString();
        String path = url.substring(url.indexOf("/portal/r/"));

        client.post().uri(path + "/files?name=answer.pdf").contentType(MediaType.APPLICATION_OCTET_STREAM)
                .bodyValue("the signed contract".getBytes()).exchange()
                .expectStatus().isOk();

        SmtpSink.Received notice = COMPANY_SERVER.await(m -> m.recipients().contains("alice@corp.example"), 1,
                Duration.ofSeconds(15)).get(0);
        assertThat(notice.sender()).as("the default notification-from, at a single-label domain").isEqualTo("sealgate@localhost");
        assertThat(notice.text()).contains("Subject: Files for you: answer.pdf")
                .contains("https://files.corp.example/portal/d/")
                .contains("Auto-Submitted: auto-generated")
                .contains("by gateway.test (Sealgate)");
        assertThat(INTERNET.messages()).isEmpty();
        assertThat(trackedStatus("alice@corp.example")).isEqualTo("Success");
    }

    @SuppressWarnings("unchecked")
    private String trackedStatus(String recipient) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        String last = null;
        while (Instant.now().isBefore(deadline)) {
            List<Map<String, Object>> found = client.get()
                    .uri(b -> b.path("/api/v1/admin/tracking").queryParam("recipient", recipient).build())
                    .header("X-Api-Key", KEY).exchange()
                    .expectStatus().isOk()
                    .expectBodyList(Map.class).returnResult().getResponseBody().stream().map(m -> (Map<String, Object>) m).toList();
            if (!found.isEmpty()) {
                last = String.valueOf(found.get(0).get("status"));
                if ("Success".equals(last)) {
                    return last;
                }
            }
            Thread.sleep(50);
        }
        return last;
    }
}
