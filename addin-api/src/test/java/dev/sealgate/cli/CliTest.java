package dev.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.smtp.SmtpListener;
import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.testkit.GatewayUnderTest;
import dev.sealgate.testkit.ServiceProcess;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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

/** Every remote subcommand of the command line against a running service, with real mail in its queue. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class CliTest {

    private static final String KEY = "test-admin-key-cli-0123456789";
    private static final SmtpSink COMPANY = SmtpSink.plain();
    private static final SmtpSink INTERNET = SmtpSink.plain();

    static {
        INTERNET.deferFirst(Integer.MAX_VALUE);
    }

    @TempDir
    static Path dataDir;

    @TempDir
    Path files;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayUnderTest.register(registry, () -> dataDir, KEY, "corp.example", COMPANY, INTERNET);
    }

    @AfterAll
    static void stop() {
        COMPANY.close();
        INTERNET.close();
    }

    @LocalServerPort
    int httpPort;

    @Autowired
    SmtpListener listener;

    @Autowired
    WebTestClient client;

    record Result(int exitCode, String out, String err) {
    }

    private Result cli(String... args) {
        return cli(Map.of("SEALGATE_URL", "http://127.0.0.1:" + httpPort, "SEALGATE_API_KEY", KEY), args);
    }

    private static Result cli(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void send(String to, String subject) throws Exception {
        Session session = Session.getInstance(new Properties());
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("alice@corp.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText("hello " + to);
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("127.0.0.1", listener.port(), null, null);
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    /** Runs a command until its output passes, for at most 20 s (the queue works in the background). */
    private Result until(Predicate<Result> done, String... args) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Result result = cli(args);
        while (!done.test(result) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            result = cli(args);
        }
        return result;
    }

    private static String messageIdNear(String json, String subject) {
        Matcher m = Pattern.compile("\"messageId\"\\s*:\\s*\"([^\"]+)\"[^}]*?\"subject\"\\s*:\\s*\"" + Pattern.quote(subject) + "\"")
                .matcher(json);
        assertThat(m.find()).as("a message with subject %s in %s", subject, json).isTrue();
        return m.group(1);
    }

    @Test
    void shouldListRetryAndDeleteQueuedMailLikePostqueue() throws Exception {
        send("defer-bob@partner.example", "cli queued");

        Result list = until(r -> r.out().contains("cli queued") && r.out().contains("451"), "queue", "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("defer-bob@partner.example", "\"attempts\" : 1");
        String id = messageIdNear(list.out(), "cli queued");

        Result retry = until(r -> r.exitCode() == 0, "queue", "retry", id);
        assertThat(retry.out()).contains("\"retried\" : 1");

        Result delete = until(r -> r.exitCode() == 0, "queue", "delete", id);
        assertThat(delete.out()).contains("deleted");
        assertThat(cli("queue", "list").out()).doesNotContain("cli queued");

        Result again = cli("queue", "retry", id);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("404", "has no recipient waiting for delivery");
    }

    @Test
    void shouldBounceQueuedMailToItsSenderWithTheReason() throws Exception {
        send("defer-carol@partner.example", "cli bounced");

        Result list = until(r -> r.out().contains("cli bounced") && r.out().contains("451"), "queue", "list");
        String id = messageIdNear(list.out(), "cli bounced");

        Result bounce = until(r -> r.exitCode() == 0, "queue", "bounce", id, "--reason=no such partner");
        assertThat(bounce.out()).contains("\"bounced\" : 1");
        assertThat(cli("queue", "list").out()).doesNotContain("cli bounced");

        Result again = cli("queue", "bounce", id);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("404");
    }

    @Test
    void shouldListReleaseAndDeleteHeldMailAndSayWhyItIsStillHeld() throws Exception {
        // sender and recipient policies combine (ADR 0041): the sender side must say HOLD as well
        WebTestClient client = this.client.mutate().responseTimeout(Duration.ofSeconds(60)).build();
        client.put().uri("/api/v1/admin/policies/global").header("X-Api-Key", KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("missingCertificate", "HOLD")).exchange().expectStatus().isOk();
        client.put().uri("/api/v1/admin/policies/partner-held.example").header("X-Api-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("outboundEncryption", "MANDATORY", "missingCertificate", "HOLD"))
                .exchange().expectStatus().isOk();
        send("carol@partner-held.example", "cli held");

        Result list = until(r -> r.out().contains("cli held"), "held", "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        String id = messageIdNear(list.out(), "cli held");

        Result release = cli("held", "release", id);
        assertThat(release.exitCode()).as(release.err()).isZero();
        assertThat(release.out()).as("no certificate arrived: still held, and it says why")
                .contains("\"released\" : 0", "\"stillHeld\" : 1", "still held");

        Result delete = cli("held", "delete", id);
        assertThat(delete.exitCode()).as(delete.err()).isZero();
        assertThat(cli("held", "list").out()).doesNotContain("cli held");
    }

    @Test
    void shouldImportListAndExportACertificate() throws Exception {
        Path key = files.resolve("anchor.key");
        Path pem = files.resolve("anchor.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                "-keyout", key.toString(), "-out", pem.toString(), "-subj", "/CN=CLI Test Anchor/O=Partner")
                .redirectErrorStream(true).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).as("openssl made a certificate").isTrue();

        Result imported = cli("cert", "import", pem.toString(), "--kind=anchor");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("CLI Test Anchor");
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(imported.out());
        assertThat(id.find()).isTrue();

        assertThat(cli("cert", "list", "--kind=ANCHOR").out()).contains("CLI Test Anchor");

        Path exported = files.resolve("exported.pem");
        Result export = cli("cert", "export", id.group(1), exported.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(Files.readString(exported).replaceAll("\\s", "")).isEqualTo(Files.readString(pem).replaceAll("\\s", ""));
    }

    @Test
    void shouldCreateALocalAccountWithThePasswordFromTheEnvironmentOnly() {
        Map<String, String> env = Map.of("SEALGATE_URL", "http://127.0.0.1:" + httpPort, "SEALGATE_API_KEY", KEY,
                "SEALGATE_NEW_PASSWORD", "operator-password-42");
        Result created = cli(env, "admin", "create", "night-operator", "--role=operator");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("night-operator", "operator").doesNotContain("operator-password-42");

        Result again = cli(env, "admin", "create", "night-operator", "--role=operator");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("409", "exists already");

        Result noPassword = cli("admin", "create", "someone");
        assertThat(noPassword.exitCode()).isEqualTo(2);
        assertThat(noPassword.err()).contains("SEALGATE_NEW_PASSWORD");

        Result weak = cli(Map.of("SEALGATE_URL", "http://127.0.0.1:" + httpPort, "SEALGATE_API_KEY", KEY, "SEALGATE_NEW_PASSWORD", "short"),
                "admin", "create", "weak-one");
        assertThat(weak.exitCode()).isEqualTo(1);
        assertThat(weak.err()).contains("400", "at least 12 characters");
    }

    @Test
    void shouldRefuseWithTheReasonWhenTheKeyIsWrongOrMissing() {
        Result wrong = cli(Map.of("SEALGATE_URL", "http://127.0.0.1:" + httpPort, "SEALGATE_API_KEY", "guess-1234"), "queue", "list");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("401").doesNotContain("guess-1234");

        Result none = cli(Map.of("SEALGATE_URL", "http://127.0.0.1:" + httpPort), "held", "list");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("SEALGATE_API_KEY");
    }

    @Test
    void shouldSayWhenNoGatewayAnswers() throws Exception {
        Result result = cli(Map.of("SEALGATE_URL", "http://127.0.0.1:" + ServiceProcess.freePort(), "SEALGATE_API_KEY", KEY),
                "queue", "list");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("cannot reach the gateway");
    }

    @Test
    void shouldPrintUsageForHelpAndRefuseUnknownSubcommands() {
        Result help = cli("help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("queue list", "held release", "cert import", "config check");

        Result unknown = cli("queue", "flush-everything");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("usage:");
    }
}
