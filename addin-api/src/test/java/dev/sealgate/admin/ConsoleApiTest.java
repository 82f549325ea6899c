package dev.sealgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sealgate.blob.BlobStore;
import dev.sealgate.enrollment.EnrollmentLog;
import dev.sealgate.enrollment.EnrollmentLogFixtures;
import dev.sealgate.enrollment.EnrollmentRecord;
import dev.sealgate.files.LargeFiles;
import dev.sealgate.smtp.SmtpListener;
import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.testkit.GatewayUnderTest;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;
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
 * What the console still lacked, through the admin API it calls (issue 12): large-file links of all
 * users and their revocation, a retry of a failed enrollment, the bounce of queued mail with a
 * failure notice to the sender, tracking by subject and Message-ID, the blob store's and the CA's
 * health, and the overview's figures in Prometheus; with real mail through the gateway.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ConsoleApiTest {

    private static final String KEY = "test-admin-key-console-0123456789";
    private static final SmtpSink COMPANY = SmtpSink.plain();
    private static final SmtpSink INTERNET = SmtpSink.plain();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayUnderTest.register(registry, () -> dataDir, KEY, "corp.example", COMPANY, INTERNET);
        // a deferred recipient waits for the admin, not for the next retry
        registry.add("sealgate.queue.retry-initial", () -> "1h");
        registry.add("sealgate.metrics.refresh-interval", () -> "1s");
        registry.add("management.endpoint.health.show-details", () -> "always");
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

    @Autowired
    LargeFiles largeFiles;

    @Autowired
    EnrollmentLog enrollmentLog;

    @Autowired
    BlobStore blobStore;

    private WebTestClient client() {
        return webClient.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    private void send(String to, String subject, String messageId) throws Exception {
        Session session = Session.getInstance(new Properties());
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        message.setFrom(new InternetAddress("alice@corp.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText("console api test");
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("127.0.0.1", listener.port(), null, null);
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> getList(String uri, Object... variables) {
        return client().get().uri(uri, variables).header("X-Api-Key", KEY).exchange().expectStatus().isOk()
                .expectBodyList(Map.class).returnResult().getResponseBody().stream().map(m -> (Map<String, Object>) m).toList();
    }

    /** Polls until {@code found} gives a value; the deadline only ends a wait that would never end, it asserts nothing. */
    private static <T> T await(Supplier<T> found) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            T value = found.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not there after two minutes");
    }

    @Test
    void shouldShowAnAuditorThePathOfMailButNotItsSubject() throws Exception {
        String auditorKey = (String) client().post().uri("/api/v1/admin/api-keys").header("X-Api-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "yearly review", "role", "auditor")).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("key");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String subject = "Salary review " + tag;
        send("defer-dora-" + tag + "@partner.example", subject, "<audit-" + tag + "@corp.example>");
        String id = (String) await(() -> getList("/api/v1/admin/queues/messages").stream()
                .filter(m -> subject.equals(m.get("subject"))).findFirst().orElse(null)).get("messageId");

        client().get().uri("/api/v1/admin/queues/messages").header("X-Api-Key", auditorKey).exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains(id, "defer-dora-" + tag).doesNotContain(subject));
        client().get().uri("/api/v1/admin/tracking?recipient={r}", "defer-dora-" + tag).header("X-Api-Key", auditorKey).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains(id).doesNotContain(subject));
        for (String uri : List.of("/api/v1/admin/tracking/{id}", "/api/v1/admin/tracking/{id}/export")) {
            client().get().uri(uri, id).header("X-Api-Key", auditorKey).exchange().expectStatus().isOk()
                    .expectBody(String.class).value(body -> assertThat(body).contains(id, "alice@corp.example").doesNotContain(subject));
            client().get().uri(uri, id).header("X-Api-Key", KEY).exchange().expectStatus().isOk()
                    .expectBody(String.class).value(body -> assertThat(body).as("an admin handles mail").contains(subject));
        }
        client().get().uri("/api/v1/admin/tracking?subject={s}", "Salary").header("X-Api-Key", auditorKey).exchange()
                .expectStatus().isForbidden()
                .expectBody(String.class).value(body -> assertThat(body).contains("auditor sees no message content"));
        assertThat(getList("/api/v1/admin/tracking?subject={s}", subject)).extracting(m -> m.get("id")).containsExactly(id);
    }

    /** A partner's mail whose S/MIME body is not CMS at all: the gateway refuses it with 550 after DATA and raises an event. */
    private void sendMalformedSmime(String subject, String messageId) throws Exception {
        Properties p = new Properties();
        p.setProperty("mail.smtp.localaddress", "127.0.0.2");
        p.setProperty("mail.smtp.from", "petra@partner.example");
        Session session = Session.getInstance(p);
        String raw = "From: petra@partner.example\r\nTo: bob@corp.example\r\nSubject: " + subject + "\r\nMessage-ID: " + messageId
                + "\r\nMIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nTm90IENNUyBhdCBhbGwsIGp1c3QgdGV4dA==\r\n";
        MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("127.0.0.1", listener.port(), null, null);
            transport.sendMessage(message, new InternetAddress[] {new InternetAddress("bob@corp.example")});
            throw new AssertionError("the gateway took a message whose S/MIME content is not CMS");
        } catch (jakarta.mail.SendFailedException refused) {
            assertThat(refused.getMessage() + refused.getNextException()).contains("550");
        }
    }

    @Test
    void shouldListTheEventsOfAMessageInItsTrackingRecordAndExportButNoSubjectToAnAuditor() throws Exception {
        String auditorKey = (String) client().post().uri("/api/v1/admin/api-keys").header("X-Api-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "event review", "role", "auditor")).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("key");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String subject = "Merger plans " + tag;
        String messageId = "<broken-" + tag + "@partner.example>";
        sendMalformedSmime(subject, messageId);
        String id = (String) getList("/api/v1/admin/tracking?messageId={m}", messageId).get(0).get("id");

        for (String uri : List.of("/api/v1/admin/tracking/{id}", "/api/v1/admin/tracking/{id}/export")) {
            Map<String, Object> record = client().get().uri(uri, id).header("X-Api-Key", KEY).exchange().expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody();
            assertThat((List<Map<String, Object>>) record.get("events")).singleElement().satisfies(e -> {
                assertThat(e).containsEntry("source", "crypto").containsEntry("severity", "WARNING")
                        .containsEntry("trackingId", id).containsEntry("messageId", "broken-" + tag + "@partner.example");
                assertThat((String) e.get("message")).contains("petra@partner.example", "S/MIME content cannot be processed");
            });
            client().get().uri(uri, id).header("X-Api-Key", auditorKey).exchange().expectStatus().isOk()
                    .expectBody(String.class).value(body -> assertThat(body).contains("S/MIME content cannot be processed")
                            .doesNotContain(subject));
        }
        for (String reference : List.of(id, messageId, "broken-" + tag + "@partner.example")) {
            assertThat(getList("/api/v1/admin/events?message={m}", reference)).as(reference).singleElement()
                    .satisfies(e -> assertThat(e).containsEntry("trackingId", id));
        }
        client().get().uri("/api/v1/admin/events?message={m}", id).header("X-Api-Key", auditorKey).exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains(id).doesNotContain(subject));
        assertThat(getList("/api/v1/admin/events?message={m}", "<nobody-" + tag + "@partner.example>")).isEmpty();
    }

    @Test
    void shouldBounceAQueuedMessageToItsSenderAndFindItBySubjectAndMessageId() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String messageId = "<bounce-" + tag + "@corp.example>";
        // the internet answers 451 to "defer..." recipients: the message waits in the queue
        send("defer-bob-" + tag + "@partner.example", "Bounce me " + tag, messageId);
        Map<String, Object> queued = await(() -> getList("/api/v1/admin/queues/messages").stream()
                .filter(m -> ("Bounce me " + tag).equals(m.get("subject")) && ((Number) m.get("attempts")).intValue() >= 1)
                .findFirst().orElse(null));
        String id = (String) queued.get("messageId");

        assertThat(getList("/api/v1/admin/tracking?subject={s}", "BOUNCE ME " + tag)).extracting(m -> m.get("id")).containsExactly(id);
        assertThat(getList("/api/v1/admin/tracking?messageId={m}", messageId)).extracting(m -> m.get("id")).containsExactly(id);
        assertThat(getList("/api/v1/admin/tracking?messageId={m}", "bounce-" + tag + "@corp.example")).extracting(m -> m.get("id"))
                .containsExactly(id);
        assertThat(getList("/api/v1/admin/tracking?messageId={m}", "bounce-" + tag)).as("a Message-ID is matched whole").isEmpty();

        client().post().uri("/api/v1/admin/queues/messages/{id}/bounce", id).header("X-Api-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reason", "sent to the wrong partner"))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.bounced").isEqualTo(1);

        SmtpSink.Received notice = COMPANY.await(m -> m.recipients().contains("alice@corp.example")
                && m.text().contains("defer-bob-" + tag + "@partner.example"), 1, Duration.ofMinutes(2)).get(0);
        assertThat(notice.sender()).as("a notice has the null sender").isNullOrEmpty();
        assertThat(notice.text()).contains("multipart/report", "report-type=delivery-status", "Action: failed", "Status: 5.0.0",
                "Final-Recipient: rfc822; defer-bob-" + tag + "@partner.example", "sent to the wrong partner", "Bounce me " + tag);
        assertThat(getList("/api/v1/admin/queues/messages")).noneMatch(m -> id.equals(m.get("messageId")));
        client().get().uri("/api/v1/admin/tracking/{id}", id).header("X-Api-Key", KEY).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("PermanentlyBlocked")
                .jsonPath("$.headerMessageId").isEqualTo("bounce-" + tag + "@corp.example")
                .jsonPath("$.recipients[0].status").isEqualTo("FAILED")
                .jsonPath("$.attempts[?(@.nextHop == 'admin')].outcome").isEqualTo(List.of("FAILED"));

        client().post().uri("/api/v1/admin/queues/messages/{id}/bounce", id).header("X-Api-Key", KEY).exchange()
                .expectStatus().isNotFound();
        client().post().uri("/api/v1/admin/queues/messages/{id}/bounce", id).header("X-Api-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reason", "x".repeat(201)))
                .exchange().expectStatus().isBadRequest();
    }

    @Test
    void shouldListTheLinksOfAllUsersAndRevokeOne() throws Exception {
        String owner = "carol-" + UUID.randomUUID().toString().substring(0, 8) + "@corp.example";
        LargeFiles.CreatedLink link = largeFiles.share(new ByteArrayInputStream("quarterly figures".getBytes(StandardCharsets.UTF_8)),
                "figures.xlsx", "application/octet-stream", owner, new LargeFiles.LinkOptions(Duration.ofDays(3), null, 5));

        List<Map<String, Object>> links = getList("/api/v1/admin/files/links?owner={o}", owner.substring(0, 14).toUpperCase(java.util.Locale.ROOT));
        assertThat(links).singleElement().satisfies(l -> {
            assertThat(l).containsEntry("id", link.linkId()).containsEntry("owner", owner).containsEntry("name", "figures.xlsx")
                    .containsEntry("size", 17).containsEntry("downloadCount", 0).containsEntry("maxDownloads", 5)
                    .containsEntry("passwordProtected", false).doesNotContainKey("token");
            assertThat(Instant.parse((String) l.get("expiresAt"))).as("the database keeps microseconds")
                    .isCloseTo(link.expiresAt(), within(1, ChronoUnit.MILLIS));
        });
        assertThat(largeFiles.usableLink(link.token())).isPresent();

        client().post().uri("/api/v1/admin/files/links/{id}/revoke", link.linkId()).header("X-Api-Key", KEY).exchange()
                .expectStatus().isOk();
        assertThat(largeFiles.usableLink(link.token())).isEmpty();
        assertThat(getList("/api/v1/admin/files/links?active=true&owner={o}", owner)).isEmpty();
        assertThat(getList("/api/v1/admin/files/links?owner={o}", owner)).singleElement().satisfies(l -> assertThat(l.get("revokedAt")).isNotNull());
        client().post().uri("/api/v1/admin/files/links/{id}/revoke", link.linkId()).header("X-Api-Key", KEY).exchange()
                .expectStatus().isEqualTo(409);
        client().post().uri("/api/v1/admin/files/links/{id}/revoke", "no-such-link").header("X-Api-Key", KEY).exchange()
                .expectStatus().isNotFound();
        client().get().uri("/api/v1/admin/files/links?limit=0").header("X-Api-Key", KEY).exchange().expectStatus().isBadRequest();
    }

    @Test
    void shouldRetryAFailedEnrollmentAsANewRequest() {
        EnrollmentRecord failed = EnrollmentLogFixtures.failedRequest(enrollmentLog, "dave@corp.example", "local",
                "the CA was down for maintenance");

        client().post().uri("/api/v1/admin/enrollments/{id}/retry", failed.id()).header("X-Api-Key", KEY).exchange()
                .expectStatus().isCreated().expectBody()
                .jsonPath("$.id").value(id -> assertThat(id).isNotEqualTo(failed.id()))
                .jsonPath("$.mailAddress").isEqualTo("dave@corp.example")
                .jsonPath("$.requestType").isEqualTo("CertificateRequest")
                .jsonPath("$.requestStatus").isEqualTo("Succeeded");
        assertThat(enrollmentLog.get(failed.id()).orElseThrow().errorText()).isEqualTo("the CA was down for maintenance");

        String succeeded = (String) getList("/api/v1/admin/enrollments?address={a}&status=Succeeded", "dave@corp.example").get(0).get("id");
        client().post().uri("/api/v1/admin/enrollments/{id}/retry", succeeded).header("X-Api-Key", KEY).exchange()
                .expectStatus().isEqualTo(409);
        client().post().uri("/api/v1/admin/enrollments/{id}/retry", "no-such-request").header("X-Api-Key", KEY).exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void shouldReportTheBlobStoreAndTheCertificateAuthorityInHealth() throws Exception {
        client().get().uri("/actuator/health/blobStore").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.details.probe").isEqualTo("write, read and delete ok");
        assertThat(blobStore.list("health/")).as("the probe object is deleted").isEmpty();
        client().get().uri("/actuator/health/certificateAuthority").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.details.subject").value(s -> assertThat((String) s).contains("Sealgate Local"))
                .jsonPath("$.details.daysLeft").value(d -> assertThat(((Number) d).longValue()).isGreaterThan(30));
    }

    @Test
    void shouldExposeTheOverviewsFiguresToPrometheus() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        send("erin-" + tag + "@partner.example", "Metrics " + tag, "<metrics-" + tag + "@corp.example>");
        INTERNET.await(m -> m.text().contains("Metrics " + tag), 1, Duration.ofMinutes(2));

        String scrape = await(() -> {
            String text = client().get().uri("/actuator/prometheus").header("X-Api-Key", KEY).exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            return text.contains("sealgate_messages_flow_last24h{direction=\"outbound\"") && text.contains("sealgate_enrollments_last24h{")
                    ? text : null;
        });
        assertThat(scrape).contains("sealgate_crypto_operations_total{kind=\"sign\",result=\"ok\"}")
                .contains("sealgate_enrollments_last24h{outcome=\"Succeeded\",provider=\"local\",type=\"CertificateRequest\"}")
                .contains("sealgate_queue_held_messages ")
                .contains("sealgate_certificates_expiring{within=\"30d\"}")
                .contains("sealgate_enrollments_failed_last24h ");
    }
}
