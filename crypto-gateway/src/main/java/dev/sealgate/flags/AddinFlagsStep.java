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
 * The gateway's side of the add-in flags (docs/adr/0050, 0123): for outbound mail, checks the
 * {@code X-Sealgate-Flags} header; when Outlook dropped it (or it is unusable), looks the flags up by
 * the {@code X-Sealgate-Correlation} id, then by Message-ID, always together with the envelope sender.
 * A token or correlation id honoured for one message is ignored on any other (replay). Records the
 * outcome in tracking (and forged, mismatched or replayed headers as an event); removes both headers
 * from every delivery in both directions, so they never leave the organisation and nobody outside can
 * inject them. Later steps (policy, S/MIME) ask {@link #resolved(PipelineMessage)}.
 * Register it before the policy steps.
 */
public final class AddinFlagsStep implements PipelineStep {

    /** What the step found for one message. */
    public record Resolution(Optional<MessageFlags> flags, Source source, String detail) {
    }

    public enum Source {
        /** a valid X-Sealgate-Flags header */
        HEADER,
        /** no usable header; the flags the add-in stored under the correlation id it set */
        CORRELATED,
        /** no usable header; the flags stored for the message's Message-ID */
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
        String header = header(message, FlagsToken.HEADER);
        String correlation = header(message, FlagsToken.CORRELATION_HEADER);
        if (message.direction() == Direction.OUTBOUND) {
            Resolution resolution = resolve(message, header, correlation);
            RESOLVED.put(message, resolution);
            message.tracking().operation("add-in flags", describe(resolution));
        }
        if (header != null || correlation != null) {
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
    private static String header(PipelineMessage message, String name) {
        return message.deliveries().isEmpty() ? null : message.header(name);
    }

    private Resolution resolve(PipelineMessage message, String header, String correlation) {
        String sender = message.envelope().sender();
        String messageId = message.header("Message-ID");
        FlagsVerification verification = verifier.verify(header, sender, headerFrom(message.header("From")), messageId);
        if (verification instanceof FlagsVerification.Valid valid) {
            if (store.useToken(valid.nonce(), sender, messageId, valid.expiresAt())) {
                // the add-in sets the correlation id beside the token it came with: bind it to this message
                // too, or both headers copied onto another message would bring the flags back by the id
                store.takeCorrelated(correlation, sender, messageId);
                return new Resolution(Optional.of(valid.flags()), Source.HEADER, "valid until " + valid.expiresAt());
            }
            verification = new FlagsVerification.Rejected(FlagsVerification.Reason.REPLAYED,
                    FlagsToken.HEADER + " was already honoured for another message of " + sender);
        }
        FlagsVerification.Rejected rejected = (FlagsVerification.Rejected) verification;
        boolean missing = rejected.reason() == FlagsVerification.Reason.MISSING;
        if (!missing) {
            eventLog.warning("addin-flags", "Ignored the X-Sealgate-Flags header of a message from " + sender + " ("
                    + rejected.reason() + "); the flags stored for its correlation id or Message-ID apply, else the policy alone",
                    rejected.detail(), message.reference());
        }
        // an unusable header is treated like a missing one: the flags the add-in stored for this sender still count
        String why = missing ? "header missing" : "header " + rejected.reason();
        if (correlation != null) {
            MessageFlagsStore.Correlated found = store.takeCorrelated(correlation, sender, messageId);
            if (found instanceof MessageFlagsStore.Correlated.Found hit) {
                return new Resolution(Optional.of(hit.flags()), Source.CORRELATED, why + ", flags stored under its correlation id");
            }
            String problem = found instanceof MessageFlagsStore.Correlated.UsedBefore
                    ? "was already used by another message" : "names no flags stored for " + sender;
            eventLog.warning("addin-flags", "Ignored the " + FlagsToken.CORRELATION_HEADER + " header of a message from " + sender
                    + ": it " + problem, "Message-ID " + messageId, message.reference());
        }
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
