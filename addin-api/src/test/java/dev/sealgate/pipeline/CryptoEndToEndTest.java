package dev.sealgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.smime.SigningOptions;
import dev.sealgate.smime.SmimeSigner;
import dev.sealgate.smime.TestPki;
import dev.sealgate.smtp.SmtpListener;
import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.testkit.GatewayUnderTest;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Issue 4's "Done when", over real SMTP on loopback: a partner's signed mail comes in, is verified,
 * stamped and its certificate harvested; the own user's reply goes out signed with a certificate
 * the local CA enrolled on the fly and encrypted to the harvested certificate, and the real openssl
 * binary decrypts it with the partner's key and verifies it against what /pki/ca.pem serves.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CryptoEndToEndTest {

    private static final String KEY = "test-admin-key-crypto-0123456789";
    private static final SmtpSink INBOUND = SmtpSink.plain();
    private static final SmtpSink OUTBOUND = SmtpSink.plain();
    private static final TestPki.Identity PARTNER = TestPki.shared().user("partner@partner.test", TestPki.KeyKind.RSA_2048);

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayUnderTest.register(registry, () -> dataDir, KEY, "sealgate.test", INBOUND, OUTBOUND);
        registry.add("sealgate.trust-anchors", () -> {
            Path anchor = dataDir.resolve("partner-root.pem");
            try {
                TestPki.writePem(anchor, TestPki.shared().root());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return anchor.toString();
        });
    }

    @AfterAll
    static void stopSinks() {
        INBOUND.close();
        OUTBOUND.close();
    }

    @Autowired
    WebTestClient client;

    @Autowired
    SmtpListener listener;

    @Test
    @Order(1)
    void shouldVerifyAndHarvestThePartnerThenSignAndEncryptTheReplySoOpensslReadsIt() throws Exception {
        client.put().uri("/api/v1/admin/policies/{scope}", "sealgate.test").header("X-Api-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("outboundSigning", "ALWAYS"))
                .exchange().expectStatus().isOk();

        MimeMessage inbound = message("partner@partner.test", "alice@sealgate.test", "offer", "our offer, signed");
        MimeMessage signed = new SmimeSigner(PARTNER.key(), PARTNER.chain(), SigningOptions.defaults()).sign(inbound);
        send("127.0.0.2", signed, "partner@partner.test", "alice@sealgate.test");

        SmtpSink.Received delivered = INBOUND.await(m -> m.recipients().contains("alice@sealgate.test"), 1, Duration.ofSeconds(30)).get(0);
        MimeMessage stamped = parse(delivered.content());
        assertThat(stamped.getHeader("X-Sealgate-Signature", null)).isEqualTo("valid; signer=partner@partner.test");
        assertThat(stamped.getHeader("X-Sealgate-Decrypted", null)).isEqualTo("no");

        client.get().uri(b -> b.path("/api/v1/admin/certificates").queryParam("address", "partner@partner.test").build())
                .header("X-Api-Key", KEY).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].kind").isEqualTo("PARTNER")
                .jsonPath("$[0].trustStatus").isEqualTo("TRUSTED")
                .jsonPath("$[0].capabilities").isNotEmpty();

        send("127.0.0.1", message("alice@sealgate.test", "partner@partner.test", "Re: offer", "accepted, signed and encrypted"),
                "alice@sealgate.test", "partner@partner.test");
        SmtpSink.Received reply = OUTBOUND.await(m -> m.recipients().contains("partner@partner.test"), 1, Duration.ofSeconds(30)).get(0);
        assertThat(reply.text()).doesNotContain("accepted, signed and encrypted").contains("pkcs7-mime");

        Path work = Files.createDirectories(dataDir.resolve("openssl"));
        PARTNER.writePem(work);
        Files.write(work.resolve("reply.eml"), reply.content());
        String caPem = client.get().uri("/pki/ca.pem").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        Files.writeString(work.resolve("ca.pem"), caPem);

        openssl(work, "cms", "-decrypt", "-in", "reply.eml", "-inkey", "key.pem", "-recip", "cert.pem", "-out", "decrypted.eml");
        assertThat(Files.readString(work.resolve("decrypted.eml"))).contains("multipart/signed");
        openssl(work, "cms", "-verify", "-in", "decrypted.eml", "-CAfile", "ca.pem", "-out", "content.txt");
        assertThat(Files.readString(work.resolve("content.txt"))).contains("accepted, signed and encrypted");

        String replyId = awaitTracking("partner@partner.test", "Success");
        client.get().uri("/api/v1/admin/tracking/{id}", replyId).header("X-Api-Key", KEY).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.cryptoOperations[?(@.operation == 'enroll certificate for alice@sealgate.test')].result")
                .value(r -> assertThat(String.valueOf(r)).contains("ISSUED"))
                .jsonPath("$.cryptoOperations[?(@.operation == 'sign')].result").value(r -> assertThat(String.valueOf(r)).contains("ok"))
                .jsonPath("$.cryptoOperations[?(@.operation == 'encrypt for partner@partner.test')].result")
                .value(r -> assertThat(String.valueOf(r)).contains("ok, AES_256_GCM + RSAES_OAEP"));

        client.get().uri(b -> b.path("/api/v1/admin/enrollments").queryParam("address", "alice@sealgate.test").build())
                .header("X-Api-Key", KEY).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].requestStatus").isEqualTo("Succeeded")
                .jsonPath("$[0].provider").isEqualTo("local");
    }

    @Test
    @Order(2)
    void shouldNotLetAForgedStampSurviveOnAPlainInboundMail() throws Exception {
        MimeMessage forged = message("mallory@partner.test", "bob@sealgate.test", "forged", "trust me");
        forged.setHeader("X-Sealgate-Signature", "valid; signer=ceo@sealgate.test");
        forged.setHeader("X-Sealgate-Decrypted", "yes");
        forged.saveChanges();
        send("127.0.0.2", forged, "mallory@partner.test", "bob@sealgate.test");

        SmtpSink.Received delivered = INBOUND.await(m -> m.recipients().contains("bob@sealgate.test"), 1, Duration.ofSeconds(30)).get(0);
        MimeMessage received = parse(delivered.content());
        assertThat(received.getHeader("X-Sealgate-Signature")).isNull();
        assertThat(received.getHeader("X-Sealgate-Decrypted", null)).isEqualTo("no");
        assertThat(delivered.text()).doesNotContain("ceo@sealgate.test").contains("trust me");
    }

    private static MimeMessage message(String from, String to, String subject, String text) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject);
        m.setText(text);
        m.saveChanges();
        return m;
    }

    private void send(String localAddress, MimeMessage message, String from, String to) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        message.writeTo(bytes);
        Properties p = new Properties();
        p.setProperty("mail.smtp.localaddress", localAddress);
        p.setProperty("mail.smtp.localhost", "client.test");
        p.setProperty("mail.smtp.from", from);
        Session session = Session.getInstance(p);
        MimeMessage raw = new MimeMessage(session, new ByteArrayInputStream(bytes.toByteArray()));
        try (Transport t = session.getTransport("smtp")) {
            t.connect("127.0.0.1", listener.port(), null, null);
            t.sendMessage(raw, new InternetAddress[] {new InternetAddress(to)});
        }
    }

    private static MimeMessage parse(byte[] content) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(content));
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("openssl %s finished", args[1]).isTrue();
        assertThat(process.exitValue()).as("openssl %s %s failed: %s", args[0], args[1], output).isZero();
    }

    @SuppressWarnings("unchecked")
    private String awaitTracking(String recipient, String status) throws InterruptedException {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        while (java.time.Instant.now().isBefore(deadline)) {
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
        throw new AssertionError("no tracking record for " + recipient + " with status " + status + " within 30 s");
    }
}
