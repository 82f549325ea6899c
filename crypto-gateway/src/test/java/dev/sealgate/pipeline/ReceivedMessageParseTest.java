package dev.sealgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.policy.Direction;
import dev.sealgate.queue.Spool;
import dev.sealgate.queue.SpooledContent;
import dev.sealgate.queue.TestSpools;
import dev.sealgate.smtp.Envelope;
import dev.sealgate.smtp.EnvelopeRecipient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The received message is parsed once (round 5): its header values come from that parse, the first
 * step that reads the received content gets it, and nothing a step does to it reaches a later read.
 */
class ReceivedMessageParseTest {

    @TempDir
    Path dir;

    private static final String MESSAGE = "From: =?UTF-8?B?w4RsaWNl?= <alice@partner.example>\r\n"
            + "Subject: =?UTF-8?Q?caf=C3=A9_=00_x?=\r\n"
            + "Message-ID: <m1@partner.example>\r\n"
            + "X-Sealgate-Flags: eyJh\r\n  bGciOi.J9\r\n"
            + "\r\n"
            + "body\r\n";

    private PipelineMessage received(Spool spool, String text) throws Exception {
        SpooledContent content = spool.receive("m1.eml", new byte[0],
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        Envelope envelope = new Envelope("alice@partner.example", null, null,
                List.of(new EnvelopeRecipient("bob@corp.example", null, null, "Inbound")), "192.0.2.10", "mx.partner.example",
                null, null, Direction.INBOUND);
        return PipelineMessage.received("m1", envelope, content, spool);
    }

    @Test
    void shouldTakeHeaderValuesFromTheOneParseAndHandItToTheFirstReaderOnly() throws Exception {
        Spool spool = TestSpools.encrypted(dir);
        try (PipelineMessage message = received(spool, MESSAGE)) {
            assertThat(message.header("from")).isEqualTo("Älice <alice@partner.example>");
            assertThat(message.header("subject")).as("decoded, NUL replaced").isEqualTo("café \uFFFD x");
            assertThat(message.header("message-id")).isEqualTo("<m1@partner.example>");
            assertThat(message.header("x-sealgate-flags")).as("folding removed").isEqualTo("eyJhbGciOi.J9");

            Delivery delivery = message.deliveries().get(0);
            MessageFiles.SpooledMessage first = message.read(delivery.content());
            MessageFiles.SpooledMessage second = message.read(delivery.content());
            assertThat(second).isNotSameAs(first);
            first.mime().setHeader("Subject", "changed by a step");
            assertThat(second.mime().getHeader("Subject", null)).isEqualTo("=?UTF-8?Q?caf=C3=A9_=00_x?=");
            assertThat(message.read(delivery.content()).mime().getHeader("Subject", null)).isEqualTo("=?UTF-8?Q?caf=C3=A9_=00_x?=");
            first.close();
            second.close();
        }
    }
}
