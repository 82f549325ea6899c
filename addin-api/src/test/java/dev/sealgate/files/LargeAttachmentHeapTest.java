package dev.sealgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.testkit.ServiceProcess;
import dev.sealgate.testkit.TestIdentityProvider;
import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import jakarta.mail.Message;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mail with a 200 MB attachment through a service running in its own JVM with {@code -Xmx128m}:
 * the large-files step only gets it to the next hop, replaced by a link, if it streams the attachment
 * (the message alone is 270 MB in base64). The link then serves the same bytes.
 */
class LargeAttachmentHeapTest {

    private static final long SIZE = 200L << 20;
    private static final Pattern LINK = Pattern.compile("https://files\\.corp\\.example(/portal/d/[A-Za-z0-9_-]+)");

    @TempDir
    Path dir;

    @Test
    void shouldReplaceA200MegabyteAttachmentInAServiceWith128MegabytesOfHeap() throws Exception {
        try (TestIdentityProvider idp = new TestIdentityProvider(); SmtpSink internet = SmtpSink.plain()) {
            int port = ServiceProcess.freePort();
            int smtpPort = ServiceProcess.freePort();
            ServiceProcess service = ServiceProcess.start(dir.resolve("service.out"),
                    List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError"),
                    List.of("--server.port=" + port,
                            "--sealgate.data-dir=" + dir.resolve("data"),
                            "--sealgate.domains=corp.example",
                            "--sealgate.company-servers=127.0.0.1/32",
                            "--sealgate.relay.outbound-smarthost=" + internet.hostAndPort(),
                            "--sealgate.smtp.port=" + smtpPort,
                            "--sealgate.smtp.bind-address=127.0.0.1",
                            "--sealgate.smtp.host-name=gateway.test",
                            "--sealgate.smtp.max-message-size=400MB",
                            "--sealgate.queue.poll-interval=100ms",
                            "--sealgate.files.public-base-url=https://files.corp.example",
                            "--sealgate.addin.auth.issuer=" + TestIdentityProvider.ISSUER,
                            "--sealgate.addin.auth.audience=" + TestIdentityProvider.AUDIENCE,
                            "--sealgate.addin.auth.jwk-set-uri=" + idp.jwksUrl()));
            try (service) {
                HttpClient http = HttpClient.newHttpClient();
                service.awaitHealthy(http, port);

                send(smtpPort);

                SmtpSink.Received delivered = internet.await(m -> m.text().contains("two hundred megabytes"), 1,
                        Duration.ofMinutes(5)).get(0);
                assertThat(delivered.content().length).isLessThan(64 * 1024);
                Matcher link = LINK.matcher(delivered.text());
                assertThat(link.find()).as(delivered.text()).isTrue();
                HttpResponse<InputStream> download = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + link.group(1)))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("password=")).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(download.statusCode()).isEqualTo(200);
                try (InputStream body = download.body()) {
                    assertThat(sha256(body)).isEqualTo(sha256(new Generated()));
                }
                assertThat(service.isAlive()).isTrue();
            }
        }
    }

    private static void send(int smtpPort) throws Exception {
        Session session = Session.getInstance(new Properties());
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("alice@corp.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@partner.example"));
        message.setSubject("two hundred megabytes");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("the raw data", "utf-8");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new GeneratedSource()));
        attachment.setFileName("raw.bin");
        attachment.setDisposition(Part.ATTACHMENT);
        attachment.setHeader("Content-Transfer-Encoding", "base64");
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(text);
        mixed.addBodyPart(attachment);
        message.setContent(mixed);
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("127.0.0.1", smtpPort, null, null);
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 16];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }



    /** The attachment as a data source that can be read as often as the mail library likes. */
    private static final class GeneratedSource implements DataSource {

        @Override
        public InputStream getInputStream() {
            return new Generated();
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            throw new IOException("read only");
        }

        @Override
        public String getContentType() {
            return "application/octet-stream";
        }

        @Override
        public String getName() {
            return "raw.bin";
        }
    }

    /** {@code SIZE} bytes of a repeated random block. */
    private static final class Generated extends InputStream {

        private static final byte[] BLOCK = new byte[1 << 20];

        static {
            new Random(7).nextBytes(BLOCK);
        }

        private long remaining = SIZE;

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int offsetInBlock = (int) ((SIZE - remaining) % BLOCK.length);
            int n = (int) Math.min(Math.min(len, BLOCK.length - offsetInBlock), remaining);
            System.arraycopy(BLOCK, offsetInBlock, b, off, n);
            remaining -= n;
            return n;
        }
    }
}
