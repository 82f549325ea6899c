package dev.sealgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.pipeline.PipelineStep;
import dev.sealgate.tracking.EventQuery;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a sender reads: the problem in the gateway's words, never a Java class name or an exception
 * text (those go to the event log); and a failure a retry would not change is 5xx, not 451.
 */
class RepliesOverSmtpTest {

    private static final String LIBRARY_TEXT = "java.lang.ClassCastException: class org.bouncycastle.asn1.DERSequence cannot be"
            + " cast to class org.bouncycastle.asn1.ASN1OctetString";

    @TempDir
    Path dataDir;

    private SmtpSink sink;
    private GatewayHarness gateway;

    @AfterEach
    void stop() {
        gateway.close();
        sink.close();
    }

    @Test
    void shouldRefuseWith554AndNoClassNameWhenAStepFailsInAWayARetryWouldNotChange() throws Exception {
        String reply = sendThrough(m -> {
            throw new IllegalStateException(LIBRARY_TEXT);
        });
        assertThat(reply).startsWith("554 5.3.0").doesNotContain("ClassCast", "org.bouncycastle", "java.lang", "Exception");
        assertThat(gateway.events.find(new EventQuery(null, null, null, "pipeline", 5))).singleElement()
                .satisfies(e -> assertThat(e.details()).contains("ClassCastException"));
    }

    @Test
    void shouldTakeClassNamesOutOfARejectionAStepWrote() throws Exception {
        String reply = sendThrough(m -> m.envelope().recipients()
                .forEach(r -> m.reject(r.address(), "550 5.7.5 cannot read the signature: " + LIBRARY_TEXT)));
        assertThat(reply).startsWith("550 5.7.5 cannot read the signature").doesNotContain("ClassCast", "org.bouncycastle", "java.lang");
    }

    @Test
    void shouldStillAskForARetryWhenAStepFailsOnInputOutput() throws Exception {
        String reply = sendThrough(m -> {
            throw new java.io.IOException("certificate store unreachable");
        });
        assertThat(reply).startsWith("451 4.3.0").doesNotContain("unreachable");
    }

    @Test
    void shouldQueueNothingAfterA554() throws Exception {
        assertThat(sendThrough(m -> {
            throw new ClassCastException(LIBRARY_TEXT);
        })).startsWith("554");
        assertThat(gateway.tracking.search(new dev.sealgate.tracking.TrackingQuery(null, null, null, null, null, null, 5))).isEmpty();
    }

    private String sendThrough(PipelineStep step) throws Exception {
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).steps(step).start();
        try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
            c.greeting();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<alice@partner.example>");
            c.command("RCPT TO:<bob@corp.example>");
            assertThat(c.command("DATA")).startsWith("354");
            return c.send("Subject: s\r\n\r\nx\r\n.\r\n");
        }
    }
}
