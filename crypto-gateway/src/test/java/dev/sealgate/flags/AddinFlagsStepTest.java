package dev.sealgate.flags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.pipeline.PipelineMessage;
import dev.sealgate.policy.Direction;
import dev.sealgate.queue.Spool;
import dev.sealgate.queue.SpooledContent;
import dev.sealgate.smtp.Envelope;
import dev.sealgate.smtp.EnvelopeRecipient;
import dev.sealgate.storage.TestDatabase;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.tracking.EventQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddinFlagsStepTest {

    private static final Instant NOW = Instant.parse("2026-08-01T09:00:00Z");
    private static TestDatabase db;

    @TempDir
    Path spoolDir;

    @BeforeAll
    static void startDatabase() {
        db = TestDatabase.h2();
    }

    @AfterAll
    static void stopDatabase() {
        db.close();
    }

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final JdbcFlagsSigningKeys keys = new JdbcFlagsSigningKeys(db.dataSource(), clock,
            new SecretKeySpec(new byte[32], "AES"), Duration.ofHours(25));
    private final MessageFlagsStore store = new MessageFlagsStore(db.dataSource(), clock);
    private final EventLog eventLog = new EventLog(db.dataSource(), clock);
    private final AddinFlagsStep step = new AddinFlagsStep(new FlagsTokenVerifier(keys, clock), store, eventLog);

    private String token(String sender, MessageFlags flags) {
        return new FlagsTokenIssuer(keys, clock).issue(sender, flags, null, Duration.ofHours(1)).token();
    }

    private PipelineMessage message(Direction direction, String sender, String messageId, String flagsHeader) throws Exception {
        StringBuilder raw = new StringBuilder();
        raw.append("From: Alice <").append(sender).append(">\r\n");
        if (flagsHeader != null) {
            raw.append("X-Sealgate-Flags: ").append(flagsHeader, 0, 20).append("\r\n\t").append(flagsHeader.substring(20)).append("\r\n");
        }
        raw.append("Message-ID: ").append(messageId).append("\r\nSubject: offer\r\n\r\nX-Sealgate-Flags: body text stays\r\n");
        Spool spool = dev.sealgate.queue.TestSpools.encrypted(spoolDir);
        SpooledContent received = spool.write("m1.eml", out -> out.write(raw.toString().getBytes(StandardCharsets.US_ASCII)));
        // As the intake does: the well-known headers and X-Sealgate-Flags unfolded, parsed once from the content.
        Map<String, String> headers = new HashMap<>(Map.of("from", "Alice <" + sender + ">", "message-id", messageId));
        if (flagsHeader != null) {
            headers.put("x-sealgate-flags", flagsHeader);
        }
        Envelope envelope = new Envelope(sender, null, null, List.of(new EnvelopeRecipient("bob@partner.example", null, null, null)),
                "192.0.2.1", "mail.example.org", null, null, direction);
        return new PipelineMessage("m1", envelope, headers, received, spool);
    }

    private static String content(PipelineMessage message) throws Exception {
        return dev.sealgate.queue.TestSpools.text(message.deliveries().get(0).content());
    }

    @Test
    void shouldApplyAValidHeaderAndRemoveItBeforeTheMessageLeaves() throws Exception {
        PipelineMessage message = message(Direction.OUTBOUND, "alice@example.org", "<a1@example.org>",
                token("alice@example.org", new MessageFlags(true, false, false)));

        step.process(message);

        assertThat(AddinFlagsStep.resolved(message).flags()).contains(new MessageFlags(true, false, false));
        assertThat(AddinFlagsStep.resolved(message).source()).isEqualTo(AddinFlagsStep.Source.HEADER);
        assertThat(content(message)).doesNotContain("X-Sealgate-Flags: ey").doesNotContain("\t")
                .startsWith("From: Alice <alice@example.org>\r\nMessage-ID: <a1@example.org>\r\n")
                .endsWith("\r\n\r\nX-Sealgate-Flags: body text stays\r\n");
        assertThat(message.tracking().operations()).singleElement()
                .satisfies(op -> assertThat(op.result()).startsWith("encrypt=true, sign=false, large-files=false (header)"));
    }

    @Test
    void shouldFallBackToStoredFlagsWhenOutlookDroppedTheHeader() throws Exception {
        store.save("<dropped@example.org>", "alice@example.org", new MessageFlags(false, true, true), NOW.plusSeconds(600));
        PipelineMessage message = message(Direction.OUTBOUND, "alice@example.org", "<dropped@example.org>", null);

        step.process(message);

        assertThat(AddinFlagsStep.resolved(message).flags()).contains(new MessageFlags(false, true, true));
        assertThat(AddinFlagsStep.resolved(message).source()).isEqualTo(AddinFlagsStep.Source.STORED);
    }

    @Test
    void shouldIgnoreAHeaderIssuedForAnotherSenderRecordAnEventAndStillStripIt() throws Exception {
        PipelineMessage message = message(Direction.OUTBOUND, "mallory@example.org", "<m2@example.org>",
                token("alice@example.org", new MessageFlags(false, false, false)));

        step.process(message);

        assertThat(AddinFlagsStep.resolved(message).flags()).isEmpty();
        assertThat(content(message)).doesNotContain("X-Sealgate-Flags: ey");
        assertThat(eventLog.find(new EventQuery(null, null, null, "addin-flags", 10)))
                .anySatisfy(e -> assertThat(e.message()).contains("mallory@example.org").contains("MISMATCHED"));
    }

    @Test
    void shouldStripTheHeaderFromInboundMailWithoutHonouringIt() throws Exception {
        PipelineMessage message = message(Direction.INBOUND, "alice@example.org", "<in@partner.example>",
                token("alice@example.org", new MessageFlags(true, true, true)));

        step.process(message);

        assertThat(AddinFlagsStep.resolved(message).flags()).isEqualTo(Optional.empty());
        assertThat(content(message)).doesNotContain("X-Sealgate-Flags: ey");
        assertThat(message.tracking().operations()).isEmpty();
    }
}
