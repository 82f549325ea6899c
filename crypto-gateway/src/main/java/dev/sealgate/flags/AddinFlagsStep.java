package dev.sealgate.flags;

import dev.sealgate.pipeline.Delivery;
import dev.sealgate.pipeline.PipelineMessage;
import dev.sealgate.pipeline.PipelineStep;
import dev.sealgate.policy.Direction;
import dev.sealgate.tracking.EventLog;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * The gateway's side of the add-in flags (docs/adr/0050): for outbound mail, checks the
 * {@code X-Sealgate-Flags} header, or, when Outlook dropped it, looks the flags up by Message-ID and
 * envelope sender; records the outcome in tracking (and forged or mismatched headers as an event);
 * removes the header from every delivery in both directions, so it never leaves the organisation
 * and nobody outside can inject it. Later steps (policy, S/MIME) ask {@link #resolved(PipelineMessage)}.
 * Register it before the policy steps.
 */
public final class AddinFlagsStep implements PipelineStep {

    /** What the step found for one message. */
    public record Resolution(Optional<MessageFlags> flags, Source source, String detail) {
    }

    public enum Source {
        /** a valid X-Sealgate-Flags header */
        HEADER,
        /** no header; the flags stored when the add-in asked for them */
        STORED,
        /** no usable flags: policy alone decides */
        NONE
    }

    private static final Map<PipelineMessage, Resolution> RESOLVED = Collections.synchronizedMap(new WeakHashMap<>());

    private final FlagsTokenVerifier verifier;
    private final MessageFlagsStore store;
    private final EventLog eventLog;

    public AddinFlagsStep(FlagsTokenVerifier verifier, MessageFlagsStore store, EventLog eventLog) {
        this.verifier = verifier;
        this.store = store;
        this.eventLog = eventLog;
    }

    /** The flags this step resolved for the message; {@link Source#NONE} when it did not run or found none. */
    public static Resolution resolved(PipelineMessage message) {
        Resolution resolution = RESOLVED.get(message);
        return resolution == null ? new Resolution(Optional.empty(), Source.NONE, "the add-in flags step did not run") : resolution;
    }

    @Override
    public void process(PipelineMessage message) throws IOException {
        String header = flagsHeader(message);
        if (message.direction() == Direction.OUTBOUND) {
            Resolution resolution = resolve(message, header);
            RESOLVED.put(message, resolution);
            message.tracking().operation("add-in flags", describe(resolution));
        }
        if (header != null) {
            for (Delivery delivery : message.deliveries()) {
                message.transform(delivery, out -> {
                    try (InputStream in = delivery.content().open()) {
                        FlagsHeaderStripper.strip(in, out);
                    }
                });
            }
        }
    }

    /** The intake parsed it with the other headers, once, from the received content (this step runs first). */
    private static String flagsHeader(PipelineMessage message) {
        return message.deliveries().isEmpty() ? null : message.header(FlagsToken.HEADER);
    }

    private Resolution resolve(PipelineMessage message, String header) {
        String sender = message.envelope().sender();
        String messageId = message.header("Message-ID");
        FlagsVerification verification = verifier.verify(header, sender, headerFrom(message.header("From")), messageId);
        if (verification instanceof FlagsVerification.Valid valid) {
            return new Resolution(Optional.of(valid.flags()), Source.HEADER, "valid until " + valid.expiresAt());
        }
        FlagsVerification.Rejected rejected = (FlagsVerification.Rejected) verification;
        boolean missing = rejected.reason() == FlagsVerification.Reason.MISSING;
        if (!missing) {
            eventLog.warning("addin-flags", "Ignored the X-Sealgate-Flags header of a message from " + sender + " ("
                    + rejected.reason() + "); the flags stored for its Message-ID apply, else the policy alone", rejected.detail());
        }
        // an unusable header is treated like a missing one: the flags the add-in stored for this sender still count
        String why = missing ? "header missing" : "header " + rejected.reason();
        Optional<MessageFlags> stored = store.find(messageId, sender);
        return stored.map(flags -> new Resolution(Optional.of(flags), Source.STORED, why + ", flags stored for " + messageId))
                .orElseGet(() -> new Resolution(Optional.empty(), Source.NONE, missing ? rejected.detail()
                        : rejected.reason() + ": " + rejected.detail()));
    }

    private static String describe(Resolution resolution) {
        return resolution.flags().map(f -> "encrypt=" + f.encrypt() + ", sign=" + f.sign() + ", large-files=" + f.largeFiles()
                + " (" + resolution.source().name().toLowerCase(java.util.Locale.ROOT) + ")").orElse("none: " + resolution.detail());
    }

    private static List<String> headerFrom(String from) {
        if (from == null) {
            return List.of();
        }
        try {
            return Arrays.stream(InternetAddress.parseHeader(from, false)).map(InternetAddress::getAddress).toList();
        } catch (AddressException e) {
            return List.of();
        }
    }
}
