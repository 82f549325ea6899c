package dev.sealgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.policy.MessageFlowRule;
import dev.sealgate.policy.RuleRepository;
import dev.sealgate.smtp.SmtpListener;
import dev.sealgate.tracking.Event;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.tracking.EventQuery;
import dev.sealgate.tracking.TrackingQuery;
import dev.sealgate.tracking.TrackingRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A fresh start with no gateway configuration: listening, closed, and saying why. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayDefaultsTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
    }

    @Autowired
    SmtpListener listener;

    @Autowired
    EventLog events;

    @Autowired
    RuleRepository rules;

    @Autowired
    TrackingRepository tracking;

    @Autowired
    MeterRegistry meters;

    @Test
    void shouldStartClosedExplainWhyAndNotTrackRefusalsByDefault() throws Exception {
        assertThat(listener.isRunning()).isTrue();
        assertThat(dataDir.resolve("tls/smtp-cert.pem")).exists();
        assertThat(rules.findAll()).extracting(MessageFlowRule::name)
                .containsExactly("Outbound from company mail servers", "Inbound to own domains");
        List<Event> smtpEvents = events.find(new EventQuery(null, null, null, "smtp", 20));
        assertThat(smtpEvents).extracting(Event::message)
                .contains("No own domains configured: inbound mail is refused until sealgate.domains is set")
                .anySatisfy(m -> assertThat(m).startsWith("Generated a self-signed TLS certificate"));

        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.port()), 5000);
            s.setSoTimeout(10000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            assertThat(in.readLine()).startsWith("220");
            out.write("EHLO client.test\r\nMAIL FROM:<a@partner.example>\r\nRCPT TO:<b@corp.example>\r\n".getBytes(StandardCharsets.US_ASCII));
            List<String> ehlo = new java.util.ArrayList<>();
            String line;
            do {
                line = in.readLine();
                ehlo.add(line);
            } while (line.startsWith("250-"));
            assertThat(ehlo).contains("250-STARTTLS", "250-DSN", "250-SIZE 52428800");
            assertThat(in.readLine()).startsWith("250");
            assertThat(in.readLine()).isEqualTo("550 5.7.1 Unable to relay: no own domains configured: set sealgate.domains");
        }
        assertThat(meters.counter("sealgate.smtp.relay.refused", "case", "inbound_foreign_recipient").count()).isEqualTo(1);
        assertThat(tracking.search(new TrackingQuery(null, null, null, null, null, null, 10))).isEmpty();
    }
}
