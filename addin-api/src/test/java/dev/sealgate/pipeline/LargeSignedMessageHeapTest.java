package dev.sealgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.smime.SigningOptions;
import dev.sealgate.smime.SmimeSigner;
import dev.sealgate.smime.TestPki;
import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.testkit.ServiceProcess;
import dev.sealgate.testkit.TestIdentityProvider;
import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's "the 100 MB message keeps passing with -Xmx256m, now through the blob store", end to
 * end: a 100 MB mail from an own user to a partner whose certificate the gateway harvested goes
 * through a service JVM limited to {@code -Xmx256m} (and {@code -XX:+ExitOnOutOfMemoryError}): received
 * over SMTP into the encrypted blob store, signed with a certificate the local CA enrolls on the
 * fly, encrypted to the partner, the result stored in the blob store again and delivered. The real
 * openssl binary decrypts it with the partner's key and verifies it against {@code /pki/ca.pem}; the
 * content is the whole 100 MB. ({@code SmimeLargeMessageTest} runs the engine alone, file to file.)
 * The GC log's peak goes to {@code target/large-signed-message-heap.txt}.
 */
class LargeSignedMessageHeapTest {

    private static final String KEY = "test-admin-key-large-0123456789ab";
    private static final long BODY_BYTES = 100L * 1024 * 1024;
    private static final byte[] LINE = "0123456789 the quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopqrstuvwxyz\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void shouldSignAndEncryptA100MegabyteMessageThroughTheBlobStoreWith256MegabytesOfHeap() throws Exception {
        TestPki.Identity partner = TestPki.shared().user("partner@partner.test", TestPki.KeyKind.RSA_2048);
        Path anchor = dir.resolve("partner-root.pem");
        TestPki.writePem(anchor, TestPki.shared().root());
        String marker = "END-OF-THE-100-MB " + UUID.randomUUID();
        try (TestIdentityProvider idp = new TestIdentityProvider(); SmtpSink inbound = SmtpSink.plain();
                SmtpSink outbound = SmtpSink.plain()) {
            int port = ServiceProcess.freePort();
            int smtpPort = ServiceProcess.freePort();
            Path gcLog = dir.resolve("gc.log");
            ServiceProcess service = ServiceProcess.start(dir.resolve("service.out"),
                    List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + gcLog),
                    List.of("--server.port=" + port,
                            "--sealgate.data-dir=" + dir.resolve("data"),
                            "--sealgate.admin.api-key=" + KEY,
                            "--sealgate.domains=sealgate.test",
                            "--sealgate.company-servers=127.0.0.1/32",
                            "--sealgate.relay.inbound-next-hop=" + inbound.hostAndPort(),
                            "--sealgate.relay.outbound-smarthost=" + outbound.hostAndPort(),
                            "--sealgate.smtp.port=" + smtpPort,
                            "--sealgate.smtp.bind-address=127.0.0.1",
                            "--sealgate.smtp.host-name=gateway.sealgate.test",
                            "--sealgate.smtp.max-message-size=200MB",
                            "--sealgate.queue.poll-interval=100ms",
                            "--sealgate.trust-anchors=" + anchor,
                            "--sealgate.addin.auth.issuer=" + TestIdentityProvider.ISSUER,
                            "--sealgate.addin.auth.audience=" + TestIdentityProvider.AUDIENCE,
                            "--sealgate.addin.auth.jwk-set-uri=" + idp.jwksUrl()));
            try (service) {
                HttpClient http = HttpClient.newHttpClient();
                service.awaitHealthy(http, port, Duration.ofMinutes(6));
                HttpResponse<String> policy = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/v1/admin/policies/sealgate.test"))
                        .header("X-Api-Key", KEY).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"outboundSigning\":\"ALWAYS\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(policy.statusCode()).as(policy.body()).isEqualTo(200);

                // the partner writes first, signed: the gateway harvests its certificate
                MimeMessage hello = new MimeMessage(Session.getInstance(new Properties()));
                hello.setFrom(new InternetAddress("partner@partner.test"));
                hello.setRecipient(Message.RecipientType.TO, new InternetAddress("alice@sealgate.test"));
                hello.setSubject("hello");
                hello.setText("signed, so that you can answer encrypted");
                hello.saveChanges();
                send("127.0.0.2", smtpPort, new SmimeSigner(partner.key(), partner.chain(), SigningOptions.defaults()).sign(hello),
                        "partner@partner.test", "alice@sealgate.test");
                inbound.await(m -> m.recipients().contains("alice@sealgate.test"), 1, Duration.ofMinutes(2));

                MimeMessage large = new MimeMessage(Session.getInstance(new Properties()));
                large.setFrom(new InternetAddress("alice@sealgate.test"));
                large.setRecipient(Message.RecipientType.TO, new InternetAddress("partner@partner.test"));
                large.setSubject("one hundred megabytes");
                large.setDataHandler(new DataHandler(new GeneratedText(marker)));
                large.setHeader("Content-Transfer-Encoding", "7bit");
                large.saveChanges();
                send("127.0.0.1", smtpPort, large, "alice@sealgate.test", "partner@partner.test");

                SmtpSink.Received reply = outbound.await(m -> m.recipients().contains("partner@partner.test"), 1,
                        Duration.ofMinutes(10)).get(0);
                assertThat(service.isAlive()).as("the service did not run out of heap").isTrue();
                Path work = Files.createDirectories(dir.resolve("openssl"));
                partner.writePem(work);
                Files.write(work.resolve("reply.eml"), reply.content());
                assertThat(new String(reply.content(), 0, Math.min(reply.content().length, 64 * 1024), StandardCharsets.US_ASCII))
                        .contains("pkcs7-mime").doesNotContain("the quick brown fox");
                HttpResponse<String> ca = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pki/ca.pem")).build(),
                        HttpResponse.BodyHandlers.ofString());
                Files.writeString(work.resolve("ca.pem"), ca.body());
                record(gcLog);
            }
            Path work = dir.resolve("openssl");
            openssl(work, "cms", "-decrypt", "-in", "reply.eml", "-inkey", "key.pem", "-recip", "cert.pem",
                    "-out", "decrypted.eml");
            openssl(work, "cms", "-verify", "-in", "decrypted.eml", "-CAfile", "ca.pem", "-out", "content.eml");
            Path content = work.resolve("content.eml");
            assertThat(Files.size(content)).as("the whole 100 MB, signed").isGreaterThan(BODY_BYTES);
            assertThat(tail(content, 200)).contains(marker);
        }
    }

    private static void send(String localAddress, int port, MimeMessage message, String from, String to) throws Exception {
        Properties p = new Properties();
        p.setProperty("mail.smtp.localaddress", localAddress);
        p.setProperty("mail.smtp.localhost", "client.test");
        p.setProperty("mail.smtp.from", from);
        Session session = Session.getInstance(p);
        try (Transport t = session.getTransport("smtp")) {
            t.connect("127.0.0.1", port, null, null);
            t.sendMessage(message, new InternetAddress[] {new InternetAddress(to)});
        }
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("openssl %s finished", args[1]).isTrue();
        assertThat(process.exitValue()).as("openssl %s %s failed: %s", args[0], args[1], output).isZero();
    }

    private static String tail(Path file, int bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, f.length() - bytes);
            byte[] buffer = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(buffer);
            return new String(buffer, StandardCharsets.US_ASCII);
        }
    }

    private static void record(Path gcLog) throws IOException {
        Pattern transition = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
        long peak = 0;
        int collections = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = transition.matcher(line);
            if (m.find()) {
                collections++;
                peak = Math.max(peak, Long.parseLong(m.group(1)));
            }
        }
        String measurement = "100 MB message signed and encrypted through the blob store with -Xmx256m: " + collections
                + " GCs, largest heap before a GC " + peak + " MB\n";
        Files.writeString(Path.of("target", "large-signed-message-heap.txt"), measurement);
        System.out.print(measurement);
    }

    /** 100 MB of CRLF text lines and a last line with the marker, generated as often as the mail library reads it. */
    private static final class GeneratedText implements DataSource {
        private final String marker;

        GeneratedText(String marker) {
            this.marker = marker;
        }

        @Override
        public InputStream getInputStream() {
            byte[] last = (marker + "\r\n").getBytes(StandardCharsets.US_ASCII);
            return new InputStream() {
                private long lines = BODY_BYTES / LINE.length + 1;
                private int position;
                private byte[] current = LINE;

                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (position == current.length) {
                        if (lines == 0) {
                            return -1;
                        }
                        lines--;
                        current = lines == 0 ? last : LINE;
                        position = 0;
                    }
                    int n = Math.min(len, current.length - position);
                    System.arraycopy(current, position, b, off, n);
                    position += n;
                    return n;
                }
            };
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            throw new IOException("read only");
        }

        @Override
        public String getContentType() {
            return "text/plain; charset=us-ascii";
        }

        @Override
        public String getName() {
            return "large.txt";
        }
    }
}
