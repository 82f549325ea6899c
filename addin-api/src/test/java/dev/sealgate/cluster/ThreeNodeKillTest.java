package dev.sealgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.storage.TestDatabase;
import dev.sealgate.testkit.S3ProxyServer;
import dev.sealgate.testkit.ServiceProcess;
import dev.sealgate.testkit.TestIdentityProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Three service JVMs on one PostgreSQL schema and one blob store — S3 (S3Proxy), and in a second
 * run the file store on one shared directory: the next hop is
 * down while 300 messages are sent across the three; one node is killed with kill -9 in the middle
 * of the stream and its data directory deleted; then the next hop comes up. Every message a node
 * acknowledged with 250 must arrive at the next hop (once or more: a delivery in flight at the
 * kill may be repeated), delivered by the two nodes left, and the three published one CA and one CRL.
 *
 * <p>The nodes' output stays in {@code target/three-node-kill-test/}. Heartbeats every second and takeover after 5 s keep the test short; the defaults (10 s, 60 s)
 * are the same mechanism with other numbers. Skipped without PostgreSQL, except with {@code CI=true}.
 */
class ThreeNodeKillTest {

    private static final int MESSAGES = 300;
    private static final Pattern SUBJECT = Pattern.compile("Subject: (cluster-\\d+)");

    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryAcknowledgedMessageAfterANodeIsKilledAndItsDiskLost() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("s3"))) {
            s3.createBucket("cluster");
            run("s3", s3.serviceArguments("cluster", "sealgate/"), () -> { });
        }
    }

    /**
     * The same with the file blob store on one directory that the three nodes share
     * ({@code sealgate.blob-store.file.directory}), each node with a data directory of its own:
     * the killed node's bodies are in the shared directory, so the others deliver them (ADR 0156).
     */
    @Test
    void shouldDeliverEveryAcknowledgedMessageWithTheFileBlobStoreOnASharedDirectory() throws Exception {
        Path shared = dir.resolve("shared-blobs");
        run("file", List.of("--sealgate.blob-store.type=file", "--sealgate.blob-store.file.directory=" + shared), () -> {
            try (Stream<Path> bodies = Files.list(shared.resolve("spool"))) {
                assertThat(bodies.filter(p -> p.getFileName().toString().endsWith(".eml")).count())
                        .as("every queued body, the killed node's too, is in the shared directory").isGreaterThanOrEqualTo(MESSAGES);
            }
            for (String name : List.of("node-b", "node-c")) {
                assertThat(dir.resolve(name).resolve("blobs")).as("nothing in the node's own data directory").doesNotExist();
            }
        });
    }

    private interface Check {
        void run() throws Exception;
    }

    /** @param whileQueued checked when all messages wait for the next hop, before it comes up */
    private void run(String variant, List<String> blobStoreArguments, Check whileQueued) throws Exception {
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        try (TestDatabase db = TestDatabase.postgres(); TestIdentityProvider idp = new TestIdentityProvider()) {
            int nextHopPort = ServiceProcess.freePort();
            List<Node> nodes = new ArrayList<>();
            for (String name : List.of("node-a", "node-b", "node-c")) {
                nodes.add(Node.start(dir, variant, name, db, blobStoreArguments, idp, Base64.getEncoder().encodeToString(masterKey),
                        nextHopPort));
            }
            try {
                HttpClient http = HttpClient.newHttpClient();
                for (Node node : nodes) {
                    node.process.awaitHealthy(http, node.httpPort, Duration.ofMinutes(8));
                }
                Set<String> caPems = new LinkedHashSet<>();
                for (Node node : nodes) {
                    caPems.add(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + node.httpPort + "/pki/ca.pem")).build(),
                            HttpResponse.BodyHandlers.ofString()).body());
                }
                assertThat(caPems).as("the three nodes publish one CA").hasSize(1).first().asString()
                        .contains("-----BEGIN CERTIFICATE-----");
                Set<String> crls = new LinkedHashSet<>();
                for (Node node : nodes) {
                    HttpResponse<String> crl = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + node.httpPort + "/pki/crl.pem"))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(crl.statusCode()).isEqualTo(200);
                    crls.add(crl.body());
                }
                assertThat(crls).as("the three nodes publish one CRL").hasSize(1).first().asString().contains("-----BEGIN X509 CRL-----");

                Node victim = nodes.get(0);
                List<String> acknowledged = new ArrayList<>();
                for (int i = 0; i < MESSAGES; i++) {
                    if (i == MESSAGES / 2) {
                        victim.process.kill();
                        deleteTree(victim.dataDir);
                    }
                    String subject = "cluster-" + i;
                    for (int n = 0; n < nodes.size(); n++) {
                        Node node = nodes.get((i + n) % nodes.size());
                        if (node.process.isAlive() && send(node.smtpPort, subject)) {
                            acknowledged.add(subject);
                            break;
                        }
                    }
                }
                assertThat(acknowledged).as("every message was accepted by some node").hasSize(MESSAGES);
                assertThat(JdbcClient.create(db.dataSource())
                        .sql("SELECT COUNT(*) FROM mail_recipient WHERE status = 'PENDING'").query(Integer.class).single())
                        .as("all waiting for the next hop").isEqualTo(MESSAGES);
                whileQueued.run();

                JdbcClient jdbc = JdbcClient.create(db.dataSource());
                try (SmtpSink nextHop = SmtpSink.plainOn(nextHopPort)) {
                    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
                    while (System.nanoTime() < deadline && (!delivered(nextHop).containsAll(acknowledged)
                            || jdbc.sql("SELECT COUNT(*) FROM mail_recipient WHERE status <> 'DELIVERED'").query(Integer.class).single() > 0)) {
                        Thread.sleep(500);
                    }
                    assertThat(delivered(nextHop)).as("every acknowledged message arrived").containsAll(acknowledged);
                }
                assertThat(jdbc.sql("SELECT COUNT(*) FROM mail_recipient WHERE status <> 'DELIVERED'").query(Integer.class).single())
                        .as("the queue is empty").isZero();
                assertThat(jdbc.sql("SELECT COUNT(*) FROM mail_message m WHERE m.id IN (SELECT r.message_id FROM mail_recipient r)"
                        + " AND m.client_address IS NOT NULL").query(Integer.class).single()).isEqualTo(MESSAGES);
            } finally {
                for (Node node : nodes) {
                    if (node.process.isAlive()) {
                        node.process.close();
                    }
                }
            }
        }
    }

    private static Set<String> delivered(SmtpSink nextHop) {
        return nextHop.messages().stream().map(m -> SUBJECT.matcher(m.text())).filter(Matcher::find).map(m -> m.group(1))
                .collect(Collectors.toSet());
    }

    private record Node(ServiceProcess process, Path dataDir, int httpPort, int smtpPort) {

        static Node start(Path dir, String variant, String name, TestDatabase db, List<String> blobStoreArguments,
                          TestIdentityProvider idp, String masterKey, int nextHopPort) throws IOException {
            int httpPort = ServiceProcess.freePort();
            int smtpPort = ServiceProcess.freePort();
            Path dataDir = dir.resolve(name);
            List<String> arguments = new ArrayList<>(List.of("--server.port=" + httpPort,
                    "--sealgate.data-dir=" + dataDir,
                    "--spring.datasource.url=" + db.jdbcUrl(),
                    "--spring.datasource.username=postgres",
                    "--sealgate.master-key=" + masterKey,
                    "--sealgate.queue.node-id=" + name,
                    "--sealgate.cluster.heartbeat-interval=1s",
                    "--sealgate.cluster.takeover-after=5s",
                    "--sealgate.domains=corp.example",
                    "--sealgate.relay.inbound-next-hop=127.0.0.1:" + nextHopPort,
                    "--sealgate.relay.connect-timeout=2s",
                    "--sealgate.queue.poll-interval=500ms",
                    // 300 messages from one test client within a minute: the per-client limits would
                    // (rightly) answer 421 to such a client; they are not what this test is about
                    "--sealgate.smtp.limits.connections-per-minute=100000",
                    "--sealgate.smtp.limits.messages-per-minute=100000",
                    "--sealgate.queue.retry-initial=2s",
                    "--sealgate.queue.retry-max=4s",
                    "--sealgate.smtp.port=" + smtpPort,
                    "--sealgate.smtp.bind-address=127.0.0.1",
                    "--sealgate.smtp.host-name=" + name + ".test",
                    "--sealgate.addin.auth.issuer=" + TestIdentityProvider.ISSUER,
                    "--sealgate.addin.auth.audience=" + TestIdentityProvider.AUDIENCE,
                    "--sealgate.addin.auth.jwk-set-uri=" + idp.jwksUrl()));
            arguments.addAll(blobStoreArguments);
            Path output = Path.of("target", "three-node-kill-test", variant + "-" + name + ".out");
            Files.createDirectories(output.getParent());
            ServiceProcess process = ServiceProcess.start(output, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), arguments);
            return new Node(process, dataDir, httpPort, smtpPort);
        }
    }

    /** One message over one SMTP session; true when the gateway answered 250 to its end of data. */
    private static boolean send(int port, String subject) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            boolean ok = reply(in).startsWith("220");
            for (String command : List.of("EHLO client.partner.example", "MAIL FROM:<alice@partner.example>",
                    "RCPT TO:<bob@corp.example>", "DATA")) {
                if (!ok) {
                    return false;
                }
                out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                ok = reply(in).startsWith(command.equals("DATA") ? "354" : "250");
            }
            if (!ok) {
                return false;
            }
            out.write(("From: alice@partner.example\r\nTo: bob@corp.example\r\nSubject: " + subject
                    + "\r\n\r\nOne of three hundred.\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            boolean accepted = reply(in).startsWith("250");
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return accepted;
        } catch (IOException refusedOrCut) {
            return false;
        }
    }

    /** Reads a (multi-line) reply; returns its last line, or "" when the connection ended. */
    private static String reply(BufferedReader in) throws IOException {
        String line = in.readLine();
        while (line != null && line.length() > 3 && line.charAt(3) == '-') {
            line = in.readLine();
        }
        return line == null ? "" : line;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
