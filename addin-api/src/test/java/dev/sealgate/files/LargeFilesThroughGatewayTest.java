package dev.sealgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.addin.FlagsRequest;
import dev.sealgate.addin.FlagsResponse;
import dev.sealgate.smtp.SmtpListener;
import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.testkit.AdminTracking;
import dev.sealgate.testkit.GatewayUnderTest;
import dev.sealgate.testkit.TestIdentityProvider;
import jakarta.activation.DataHandler;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Large attachments of outbound mail become download links on the way through the gateway: over
 * real SMTP in, at the outbound next hop (an SMTP sink) out, and downloadable from the portal.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class LargeFilesThroughGatewayTest {

    private static final String KEY = "test-admin-key-large-files-gateway";
    private static final SmtpSink COMPANY_SERVER = SmtpSink.plain();
    private static final SmtpSink INTERNET = SmtpSink.plain();
    private static final TestIdentityProvider idp = new TestIdentityProvider();
    private static final Pattern LINK = Pattern.compile("https://files\\.corp\\.example(/portal/d/[A-Za-z0-9_-]+)");

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayUnderTest.register(registry, () -> dataDir, KEY, "corp.example", COMPANY_SERVER, INTERNET);
        registry.add("sealgate.files.large-file-threshold", () -> "1MB");
        registry.add("sealgate.files.public-base-url", () -> "https://files.corp.example/");
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

    @Autowired
    SmtpListener listener;

    @LocalServerPort
    int port;

    @Test
    void shouldReplaceAnAttachmentAboveTheThresholdByALinkThatDownloadsTheSameBytes() throws Exception {
        byte[] report = randomBytes(3 * 1024 * 1024, 1);
        byte[] small = randomBytes(2_000, 2);
        send("127.0.0.1", "alice@corp.example", "bob@partner.example", "quarterly figures", null,
                attachment("Q&A 'report'.bin", report), attachment("notes.txt.bin", small));

        MimeMessage delivered = parse(INTERNET.await(m -> m.text().contains("quarterly figures"), 1, Duration.ofSeconds(30)).get(0));
        List<String> names = attachmentNames(delivered);
        // the default signing policy (AUTO) signs Alice's mail after the link replaced the attachment
        assertThat(names).containsExactly("notes.txt.bin", "smime.p7s");
        String plain = body(delivered, "text/plain");
        String html = body(delivered, "text/html");
        assertThat(plain).contains("see the figures").contains("Q&A 'report'.bin (" + report.length + " bytes)");
        assertThat(html).contains("<p>see the figures</p>").contains("Q&amp;A &#39;report&#39;.bin</a>")
                .doesNotContain("Q&A 'report'");
        String path = link(plain);
        assertThat(html).contains(path);
        assertThat(sha256(download(path))).isEqualTo(sha256(report));
        assertThat(AdminTracking.cryptoOperations(client, KEY, "bob@partner.example")).contains("large file Q&A 'report'.bin")
                .contains("replaced by a download link");
    }

    @Test
    void shouldReplaceEvenASmallAttachmentWhenTheSenderAskedForLinks() throws Exception {
        FlagsResponse flags = client.post().uri("/api/v1/addin/flags")
                .headers(h -> h.setBearerAuth(idp.token("carol@corp.example")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new FlagsRequest(null, false, false, true, null, null)).exchange()
                .expectStatus().isOk().expectBody(FlagsResponse.class).returnResult().getResponseBody();
        byte[] small = randomBytes(10_000, 3);
        send("127.0.0.1", "carol@corp.example", "dave@partner.example", "small but as link", flags,
                attachment("invoice.pdf", small));

        MimeMessage delivered = parse(INTERNET.await(m -> m.text().contains("small but as link"), 1, Duration.ofSeconds(30)).get(0));
        assertThat(attachmentNames(delivered)).isEmpty();
        String plain = body(delivered, "text/plain");
        assertThat(plain).contains("invoice.pdf (10000 bytes)");
        assertThat(sha256(download(link(plain)))).isEqualTo(sha256(small));
        assertThat(AdminTracking.cryptoOperations(client, KEY, "dave@partner.example")).contains("requested by the sender");
    }

    @Test
    void shouldLeaveInboundMailUntouched() throws Exception {
        byte[] report = randomBytes(3 * 1024 * 1024, 4);
        send("127.0.0.2", "erin@partner.example", "frank@corp.example", "inbound with a large file", null,
                attachment("big-inbound.bin", report));

        MimeMessage delivered = parse(COMPANY_SERVER.await(m -> m.text().contains("inbound with a large file"), 1,
                Duration.ofSeconds(30)).get(0));
        assertThat(attachmentNames(delivered)).containsExactly("big-inbound.bin");
        assertThat(body(delivered, "text/plain")).doesNotContain("/portal/d/");
        assertThat(sha256(attachmentBytes(delivered, "big-inbound.bin"))).isEqualTo(sha256(report));
    }

    private static MimeBodyPart attachment(String name, byte[] content) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(content, "application/octet-stream")));
        part.setFileName(name);
        part.setDisposition(Part.ATTACHMENT);
        return part;
    }

    private void send(String localAddress, String from, String to, String subject, FlagsResponse flags, MimeBodyPart... attachments)
            throws MessagingException {
        Properties p = new Properties();
        p.setProperty("mail.smtp.localaddress", localAddress);
        Session session = Session.getInstance(p);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText("see the figures", "utf-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<html><body><p>see the figures</p></body></html>", "text/html; charset=utf-8");
        alternative.addBodyPart(plain);
        alternative.addBodyPart(html);
        MimeBodyPart text = new MimeBodyPart();
        text.setContent(alternative);
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(text);
        for (MimeBodyPart attachment : attachments) {
            mixed.addBodyPart(attachment);
        }
        message.setContent(mixed);
        if (flags != null) {
            message.setHeader(flags.header(), flags.token());
        }
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("127.0.0.1", listener.port(), null, null);
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    private static MimeMessage parse(SmtpSink.Received received) throws MessagingException {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(received.content()));
    }

    private static List<String> attachmentNames(Part part) throws MessagingException, IOException {
        List<String> names = new ArrayList<>();
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                names.addAll(attachmentNames(multipart.getBodyPart(i)));
            }
        } else if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            names.add(part.getFileName());
        }
        return names;
    }

    private static byte[] attachmentBytes(Part part, String name) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                byte[] found = attachmentBytes(multipart.getBodyPart(i), name);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        return name.equals(part.getFileName()) ? part.getInputStream().readAllBytes() : null;
    }

    private static String body(Part part, String type) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                String found = body(child, type);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        return part.isMimeType(type) && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) ? (String) part.getContent() : null;
    }

    private static String link(String text) {
        Matcher matcher = LINK.matcher(text);
        assertThat(matcher.find()).as("a download link in: " + text).isTrue();
        return matcher.group(1);
    }

    /**
     * The recipient's way: the landing page, then the download form without password. The file comes
     * through the JDK's HTTP client, as a browser's would, not through the test client's event loop.
     */
    private byte[] download(String path) throws IOException, InterruptedException {
        assertThat(client.get().uri(path).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).isNotEmpty();
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("password=")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
