package dev.sealgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.smtp.SmtpSink;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No mail lost: the service runs as a separate process, three clients send a stream of messages,
 * the process is killed with SIGKILL in the middle, restarted on the same data directory, and
 * every message that got "250" must arrive at the next hop. Duplicates (delivered, but killed
 * before the delivery was recorded) are allowed by SMTP's at-least-once contract; they are
 * counted and printed.
 */
class CrashRecoveryTest {

    private static final Pattern SUBJECT = Pattern.compile("Subject: crash-test-(\\d+)");
    private static final int SENDERS = 3;

    @TempDir
    Path dataDir;

    @Test
    void shouldDeliverEveryAcknowledgedMessageAfterAKillDashNine() throws Exception {
        int smtpPort = freePort();
        try (SmtpSink sink = SmtpSink.plain()) {
            sink.delayPerMessage(Duration.ofMillis(15));
            Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger failed = new AtomicInteger();
            AtomicInteger next = new AtomicInteger();

            Process first = startService(smtpPort, sink, "first");
            List<Thread> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                Thread t = new Thread(() -> sendUntilRefused(smtpPort, next, acknowledged, failed), "crash-test-sender-" + s);
                t.start();
                senders.add(t);
            }
            awaitAtLeast(acknowledged, 60, Duration.ofSeconds(60));
            first.destroyForcibly();
            first.waitFor();
            int ackedBeforeKill = acknowledged.size();
            for (Thread t : senders) {
                t.join(30_000);
            }
            int deliveredBeforeRestart = sink.messages().size();

            Process second = startService(smtpPort, sink, "second");
            try {
                for (int i = 0; i < 5; i++) {
                    sendOne(smtpPort, next.getAndIncrement(), acknowledged);
                }
                Instant deadline = Instant.now().plusSeconds(90);
                while (Instant.now().isBefore(deadline) && !received(sink).keySet().containsAll(acknowledged)) {
                    Thread.sleep(100);
                }
            } finally {
                second.destroy();
                second.waitFor();
            }

            Map<Integer, Long> received = received(sink);
            Set<Integer> lost = acknowledged.stream().filter(i -> !received.containsKey(i)).collect(Collectors.toSet());
            Map<Integer, Long> duplicates = new TreeMap<>(received.entrySet().stream().filter(e -> e.getValue() > 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
            System.out.printf("Crash test: %d messages acknowledged (%d before the kill), %d refused or cut off by the kill,"
                            + " %d delivered before the restart, %d distinct delivered in the end, %d lost, %d duplicated %s%n",
                    acknowledged.size(), ackedBeforeKill, failed.get(), deliveredBeforeRestart, received.size(), lost.size(),
                    duplicates.size(), duplicates.isEmpty() ? "" : duplicates);
            assertThat(ackedBeforeKill).as("the kill must come in the middle of the stream").isGreaterThanOrEqualTo(60);
            assertThat(lost).as("acknowledged with 250 but never delivered").isEmpty();
        }
    }

    private Process startService(int smtpPort, SmtpSink sink, String run) throws IOException, InterruptedException {
        Path log = dataDir.resolve("service-" + run + ".out");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path"), "dev.sealgate.SealgateApplication",
                "--sealgate.data-dir=" + dataDir,
                "--server.port=0",
                "--sealgate.smtp.port=" + smtpPort,
                "--sealgate.smtp.bind-address=127.0.0.1",
                "--sealgate.smtp.host-name=gateway.test",
                "--sealgate.domains=corp.example",
                "--sealgate.company-servers=127.0.0.1/32",
                "--sealgate.relay.inbound-next-hop=" + sink.hostAndPort(),
                "--sealgate.queue.workers=2",
                "--sealgate.queue.poll-interval=100ms",
                "--sealgate.queue.retry-initial=200ms",
                "--sealgate.queue.retry-max=1s",
                "--logging.file.name=" + dataDir.resolve("logs/" + run + ".log"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process p = pb.start();
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new AssertionError("the service (" + run + " run) exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            if (greets(smtpPort)) {
                return p;
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        throw new AssertionError("the service (" + run + " run) did not answer SMTP within 120 s:\n" + Files.readString(log));
    }

    private static boolean greets(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            return in.read() == '2';
        } catch (IOException e) {
            return false;
        }
    }

    private static void sendUntilRefused(int port, AtomicInteger next, Set<Integer> acknowledged, AtomicInteger failed) {
        while (true) {
            int n = next.getAndIncrement();
            try {
                sendOne(port, n, acknowledged);
            } catch (MessagingException e) {
                failed.incrementAndGet();
                return;
            }
        }
    }

    private static void sendOne(int port, int n, Set<Integer> acknowledged) throws MessagingException {
        Properties p = new Properties();
        p.setProperty("mail.smtp.localaddress", "127.0.0.2");
        p.setProperty("mail.smtp.localhost", "client.internet.test");
        p.setProperty("mail.smtp.connectiontimeout", "5000");
        p.setProperty("mail.smtp.timeout", "10000");
        Session session = Session.getInstance(p);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("sender@partner.example"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress("user" + (n % 7) + "@corp.example"));
        m.setSubject("crash-test-" + n);
        m.setText("message " + n + "\n" + "payload line\n".repeat(200));
        try (Transport t = session.getTransport("smtp")) {
            t.connect("127.0.0.1", port, null, null);
            t.sendMessage(m, m.getAllRecipients());
        }
        acknowledged.add(n);
    }

    private static Map<Integer, Long> received(SmtpSink sink) {
        return sink.messages().stream().map(m -> SUBJECT.matcher(m.text())).filter(Matcher::find)
                .collect(Collectors.groupingBy(matcher -> Integer.parseInt(matcher.group(1)), Collectors.counting()));
    }

    private static void awaitAtLeast(Set<Integer> acknowledged, int count, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (acknowledged.size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
