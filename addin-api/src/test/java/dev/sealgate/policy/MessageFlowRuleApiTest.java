package dev.sealgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealgate.smtp.SmtpListener;
import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.testkit.GatewayUnderTest;
import jakarta.mail.Message;
import jakarta.mail.SendFailedException;
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

/** Message-flow rules through the admin API, with mail that follows them; an open relay is refused. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class MessageFlowRuleApiTest {

    private static final String KEY = "test-admin-key-rules-0123456789";
    private static final SmtpSink COMPANY = SmtpSink.plain();
    private static final SmtpSink INTERNET = SmtpSink.plain();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayUnderTest.register(registry, () -> dataDir, KEY, "corp.example", COMPANY, INTERNET);
    }

    @AfterAll
    static void stop() {
        COMPANY.close();
        INTERNET.close();
    }

    @Autowired
    WebTestClient webClient;

    @Autowired
    SmtpListener listener;

    private WebTestClient client() {
        return webClient.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    private void send(String to, String subject) throws Exception {
        Session session = Session.getInstance(new Properties());
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("alice@corp.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText("rules");
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("127.0.0.1", listener.port(), null, null);
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    private WebTestClient.ResponseSpec put(String name, Map<String, Object> rule) {
        return client().put().uri("/api/v1/admin/rules/{name}", name).header("X-Api-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(rule).exchange();
    }

    @Test
    void shouldLetAnAdminNarrowOutboundMailAndMailFollowsTheRules() throws Exception {
        put("Outbound to partners only", Map.of("position", 5, "direction", "OUTBOUND", "senderPattern", "own",
                "recipientPattern", "*@partner.example", "clientRanges", "company")).expectStatus().isOk();
        client().delete().uri("/api/v1/admin/rules/{name}", "Outbound from company mail servers").header("X-Api-Key", KEY)
                .exchange().expectStatus().isNoContent();
        client().get().uri("/api/v1/admin/rules").header("X-Api-Key", KEY).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[0].name").isEqualTo("Outbound to partners only")
                .jsonPath("$[?(@.name == 'Outbound from company mail servers')]").doesNotExist();

        Thread.sleep(5_500); // each node reads the rule set again after at most 5 s
        send("bob@partner.example", "rules allowed");
        assertThat(INTERNET.await(m -> m.text().contains("rules allowed"), 1, Duration.ofSeconds(30))).hasSize(1);
        String id = (String) client().get().uri("/api/v1/admin/tracking?recipient=bob@partner.example").header("X-Api-Key", KEY)
                .exchange().expectStatus().isOk().expectBodyList(Map.class).returnResult().getResponseBody().get(0).get("id");
        client().get().uri("/api/v1/admin/tracking/{id}", id).header("X-Api-Key", KEY).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.rule").isEqualTo("Outbound to partners only");

        assertThatThrownBy(() -> send("carol@elsewhere.example", "rules refused"))
                .isInstanceOf(SendFailedException.class)
                .hasStackTraceContaining("550 5.7.1 Unable to relay: no message-flow rule matches");
    }

    @Test
    void shouldRefuseARuleThatWouldMakeAnOpenRelayWithTheReason() {
        put("Open relay", Map.of("position", 1, "direction", "INBOUND", "senderPattern", "*", "recipientPattern", "*",
                "clientRanges", "*")).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("open relay"));
        put("Inbound to a foreign domain", Map.of("position", 1, "direction", "inbound", "senderPattern", "*",
                "recipientPattern", "*@elsewhere.example", "clientRanges", "*")).expectStatus().isBadRequest();
        put("Inbound to the sales team", Map.of("position", 15, "direction", "INBOUND", "senderPattern", "*",
                "recipientPattern", "sales*@corp.example", "clientRanges", "*")).expectStatus().isOk();
    }

    @Test
    void shouldExplainInADryRunWhatTheGatewayWouldDoAndChangeWhenThePolicyChanges() {
        client().put().uri("/api/v1/admin/policies/dryrun-partner.example").header("X-Api-Key", KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("outboundEncryption", "MANDATORY", "missingCertificate", "HOLD")).exchange().expectStatus().isOk();
        client().put().uri("/api/v1/admin/policies/dryrun-sender@corp.example").header("X-Api-Key", KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("missingCertificate", "REJECT", "outboundSigning", "NEVER")).exchange().expectStatus().isOk();
        Map<String, Object> outbound = Map.of("sender", "dryrun-sender@corp.example", "recipients", java.util.List.of("bob@dryrun-partner.example"),
                "client", "127.0.0.1");

        client().post().uri("/api/v1/admin/policies/dry-run").header("X-Api-Key", KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(outbound).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.direction").isEqualTo("OUTBOUND")
                .jsonPath("$.recipients[0].relayed").isEqualTo(true)
                .jsonPath("$.recipients[0].disposition").isEqualTo("REJECT")
                .jsonPath("$.recipients[0].reason").value(r -> assertThat((String) r).contains("bob@dryrun-partner.example"))
                .jsonPath("$.policies['bob@dryrun-partner.example'].settings.missingCertificate").isEqualTo("HOLD");

        // the sender's side says REJECT: the stricter action wins; make both say HOLD (signing off: a fresh sender
        // would otherwise be held for the enrollment of its certificate, ADR 0091)
        client().put().uri("/api/v1/admin/policies/dryrun-sender@corp.example").header("X-Api-Key", KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("missingCertificate", "HOLD", "outboundSigning", "NEVER")).exchange().expectStatus().isOk();
        client().post().uri("/api/v1/admin/policies/dry-run").header("X-Api-Key", KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(outbound).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.recipients[0].disposition").isEqualTo("HOLD");

        client().post().uri("/api/v1/admin/policies/dry-run").header("X-Api-Key", KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("sender", "mallory@evil.example", "recipients", java.util.List.of("victim@elsewhere.example")))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.direction").isEqualTo("INBOUND")
                .jsonPath("$.recipients[0].relayed").isEqualTo(false)
                .jsonPath("$.recipients[0].refusal").value(r -> assertThat((String) r).contains("not of an own domain"));
    }

    @Test
    void shouldRefuseBrokenRulesWithTheFieldThatIsWrong() {
        put("Bad range", Map.of("position", 1, "direction", "OUTBOUND", "senderPattern", "*", "recipientPattern", "*",
                "clientRanges", "10.0.0.300/33")).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).startsWith("clientRanges"));
        put("Incomplete", Map.of("position", 1)).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("direction", "senderPattern"));
        put("Sideways", Map.of("position", 1, "direction", "SIDEWAYS", "senderPattern", "*", "recipientPattern", "*",
                "clientRanges", "*")).expectStatus().isBadRequest();
        client().delete().uri("/api/v1/admin/rules/{name}", "no such rule").header("X-Api-Key", KEY).exchange()
                .expectStatus().isNotFound();
    }
}
