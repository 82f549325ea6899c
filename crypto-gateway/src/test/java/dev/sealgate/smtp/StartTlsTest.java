package dev.sealgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealgate.tracking.Event;
import dev.sealgate.tracking.EventQuery;
import dev.sealgate.tracking.TrackingQuery;
import dev.sealgate.tracking.TrackingRecord;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS with a generated certificate: modern clients get TLS 1.3, outdated ones a clean close and an event. */
class StartTlsTest {

    @TempDir
    Path dataDir;

    private SmtpSink sink;
    private GatewayHarness gateway;

    @BeforeEach
    void start() {
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        sink.close();
    }

    @Test
    void shouldGenerateACertificateAndRecordTlsInTracking() throws Exception {
        assertThat(dataDir.resolve("tls/smtp-cert.pem")).exists();
        assertThat(dataDir.resolve("tls/smtp-key.pem")).exists();

        send(tlsClient(null, null), "TLS 1.3");

        assertThat(sink.awaitMessages(1, Duration.ofSeconds(10))).hasSize(1);
        TrackingRecord.Summary summary = gateway.tracking.search(new TrackingQuery(null, null, null, null, null, null, 1)).get(0);
        TrackingRecord record = gateway.tracking.find(summary.id()).orElseThrow();
        assertThat(record.tlsProtocol()).isEqualTo("TLSv1.3");
        assertThat(record.tlsCipher()).startsWith("TLS_AES_");
        assertThat(record.helo()).isEqualTo("client.internet.test");
        assertThat(record.clientAddress()).isEqualTo("127.0.0.2");
    }

    @Test
    void shouldCloseCleanlyOnNoCommonCipherRecordAnEventAndAcceptPlainTextAfterwards() throws Exception {
        Session outdated = tlsClient("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
        assertThatThrownBy(() -> send(outdated, "outdated")).isInstanceOf(MessagingException.class);

        java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
        List<Event> events = gateway.events.find(new EventQuery(null, null, null, "smtp", 10));
        while (events.isEmpty() && java.time.Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
            events = gateway.events.find(new EventQuery(null, null, null, "smtp", 10));
        }
        assertThat(events).anySatisfy(e -> {
            assertThat(e.message()).isEqualTo("Could not secure an inbound connection with the host 127.0.0.2");
            assertThat(e.details()).contains("TLS handshake failed", "plain text");
        });

        Properties plain = new Properties();
        plain.setProperty("mail.smtp.localaddress", "127.0.0.2");
        plain.setProperty("mail.smtp.localhost", "client.internet.test");
        send(Session.getInstance(plain), "plain retry");
        assertThat(sink.awaitMessages(1, Duration.ofSeconds(10))).singleElement()
                .satisfies(m -> assertThat(m.text()).contains("plain retry"));
    }

    private Session tlsClient(String protocols, String ciphers) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.localaddress", "127.0.0.2");
        p.setProperty("mail.smtp.localhost", "client.internet.test");
        p.setProperty("mail.smtp.starttls.enable", "true");
        p.setProperty("mail.smtp.starttls.required", "true");
        p.setProperty("mail.smtp.ssl.trust", "*");
        p.setProperty("mail.smtp.ssl.checkserveridentity", "false");
        if (protocols != null) {
            p.setProperty("mail.smtp.ssl.protocols", protocols);
        }
        if (ciphers != null) {
            p.setProperty("mail.smtp.ssl.ciphersuites", ciphers);
        }
        return Session.getInstance(p);
    }

    private void send(Session session, String text) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("alice@partner.example"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@corp.example"));
        m.setSubject(text);
        m.setText(text);
        try (Transport t = session.getTransport("smtp")) {
            t.connect("127.0.0.1", gateway.port(), null, null);
            t.sendMessage(m, m.getAllRecipients());
        }
    }
}
