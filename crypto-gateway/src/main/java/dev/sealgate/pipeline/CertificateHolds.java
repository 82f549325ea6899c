package dev.sealgate.pipeline;

import dev.sealgate.certs.StoredCertificate;
import dev.sealgate.enrollment.CertificateIssuedListener;
import dev.sealgate.queue.HeldRecipient;
import dev.sealgate.queue.NewMessage;
import dev.sealgate.queue.Notices;
import dev.sealgate.queue.QueueRepository;
import dev.sealgate.queue.Spool;
import dev.sealgate.queue.SpooledContent;
import dev.sealgate.smtp.Envelope;
import dev.sealgate.smtp.EnvelopeRecipient;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.tracking.MessageReference;
import dev.sealgate.tracking.RecipientStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Messages held while their sender's certificate is enrolled ({@link OutboundCryptoStep}): when the
 * certificate arrives they are processed again (signed, encrypted, split as the policy says) and
 * released; when the hold timeout passes first, the fallback applies: the held recipients fail
 * with a notice to the sender, since the policy that asked for the signature is not weakened.
 */
public final class CertificateHolds implements CertificateIssuedListener {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final QueueRepository queue;
    private final Spool spool;
    private final OutboundCryptoStep step;
    private final Notices notices;
    private final EventLog events;
    private final Clock clock;
    private final Duration holdTimeout;
    private final Runnable newMail;

    /**
     * @param holdTimeout how long a message may wait for its sender's certificate
     * @param newMail     wakes the delivery workers
     */
    public CertificateHolds(QueueRepository queue, Spool spool, OutboundCryptoStep step, Notices notices, EventLog events,
                            Clock clock, Duration holdTimeout, Runnable newMail) {
        this.queue = queue;
        this.spool = spool;
        this.step = step;
        this.notices = notices;
        this.events = events;
        this.clock = clock;
        this.holdTimeout = holdTimeout;
        this.newMail = newMail;
    }

    @Override
    public void certificateIssued(String address, StoredCertificate certificate) {
        releaseFor(address);
    }

    /** Processes again and releases every message held for the sender's certificate; returns how many. */
    public synchronized int releaseFor(String sender) {
        List<HeldRecipient> held = queue.heldWithReason(OutboundCryptoStep.WAITING_FOR_CERTIFICATE + sender.toLowerCase(Locale.ROOT) + " ");
        int released = 0;
        for (List<HeldRecipient> message : byMessage(held).values()) {
            try {
                released += reprocess(message, "released: the certificate of " + sender.toLowerCase(Locale.ROOT) + " arrived");
            } catch (IOException | RuntimeException e) {
                events.error("crypto", "Could not process held message " + message.get(0).messageId() + " of " + sender
                        + " now that its certificate arrived; it stays held, release or delete it in the admin API", e.toString(),
                        MessageReference.of(message.get(0).messageId(), null));
            }
        }
        if (released > 0) {
            newMail.run();
        }
        return released;
    }

    /** Applies the fallback to messages that waited longer than the hold timeout; returns how many recipients failed. */
    public synchronized int expire() {
        Instant cutoff = clock.instant().minus(holdTimeout);
        int failed = 0;
        for (List<HeldRecipient> message : byMessage(queue.heldWithReason(OutboundCryptoStep.WAITING_FOR_CERTIFICATE)).values()) {
            HeldRecipient first = message.get(0);
            if (!first.receivedAt().isBefore(cutoff)) {
                continue;
            }
            String reply = "550 5.7.1 no signing certificate for " + first.sender() + " within " + holdTimeout
                    + " (sealgate.enrollment.hold-timeout): signing is required; check the enrollment log, then have the sender resend";
            List<NewMessage.Recipient> rows = message.stream().map(r -> new NewMessage.Recipient(r.address(), r.dsnNotify(), r.orcpt(),
                    null, null, RecipientStatus.FAILED, reply)).toList();
            List<Operation> operations = operations(first.cryptoOperations());
            operations.add(new Operation("hold timeout", reply));
            int settled = queue.settleHeld(first.messageId(), rows, JSON.writeValueAsString(operations), clock.instant());
            if (settled == 0) {
                // another node or an admin got there first
                continue;
            }
            failed += settled;
            notify(message, reply);
            events.warning("crypto", "Held message " + first.messageId() + " of " + first.sender() + " failed: its signing certificate"
                    + " did not arrive within " + holdTimeout, null, MessageReference.of(first.messageId(), null));
            deleteUnused(message);
        }
        return failed;
    }

    /**
     * Processes the crypto-held recipients of a message again under the current policies and
     * certificates (an admin's release): they go out signed and encrypted as now required, or stay
     * held, or fail. Returns how many are due for delivery now, or -1 when none of the message's
     * recipients was held by the crypto step.
     */
    public synchronized int release(String messageId) throws IOException {
        List<HeldRecipient> held = new ArrayList<>();
        for (String prefix : List.of(OutboundCryptoStep.WAITING_FOR_CERTIFICATE, OutboundCryptoStep.WAITING_FOR_RECIPIENT_CERTIFICATE)) {
            queue.heldWithReason(prefix).stream().filter(r -> r.messageId().equals(messageId)).forEach(held::add);
        }
        if (held.isEmpty()) {
            return -1;
        }
        int released = reprocess(held, "released by admin, processed again");
        newMail.run();
        return released;
    }

    /**
     * Processes again the messages held because a recipient had no certificate, for recipients
     * that have one now (harvested, imported or enrolled since). Returns how many went out.
     */
    public synchronized int retryRecipientHolds(java.util.function.Predicate<String> hasCertificate) {
        List<HeldRecipient> ready = queue.heldWithReason(OutboundCryptoStep.WAITING_FOR_RECIPIENT_CERTIFICATE).stream()
                .filter(r -> hasCertificate.test(r.address())).toList();
        int released = 0;
        for (List<HeldRecipient> message : byMessage(ready).values()) {
            try {
                released += reprocess(message, "released: a certificate for the recipient is now in the store");
            } catch (IOException | RuntimeException e) {
                events.error("crypto", "Could not process held message " + message.get(0).messageId()
                        + " again although its recipient now has a certificate; it stays held", e.toString(),
                        MessageReference.of(message.get(0).messageId(), null));
            }
        }
        if (released > 0) {
            newMail.run();
        }
        return released;
    }

    private int reprocess(List<HeldRecipient> held, String releasedDetail) throws IOException {
        HeldRecipient first = held.get(0);
        SpooledContent content = spool.open(first.contentFile());
        List<EnvelopeRecipient> recipients = held.stream()
                .map(r -> new EnvelopeRecipient(r.address(), r.dsnNotify(), r.orcpt(), null)).toList();
        Envelope envelope = new Envelope(first.sender(), first.dsnRet(), first.dsnEnvid(), recipients, first.clientAddress(), null, null,
                null, first.direction());
        PipelineMessage message = PipelineMessage.received(first.messageId() + "-r" + clock.millis(), envelope, content, spool);
        try (message) {
            step.processHeld(message);
        }
        List<NewMessage.Recipient> rows = new ArrayList<>();
        for (Delivery d : message.deliveries()) {
            for (EnvelopeRecipient r : d.recipients()) {
                rows.add(new NewMessage.Recipient(r.address(), r.dsnNotify(), r.orcpt(), null, d.content().reference(),
                        d.holdReason() == null ? RecipientStatus.PENDING : RecipientStatus.HELD,
                        d.holdReason() == null ? releasedDetail : d.holdReason()));
            }
        }
        message.rejected().forEach((address, reply) -> rows.add(new NewMessage.Recipient(address, null, null, null, null,
                RecipientStatus.FAILED, reply)));
        List<Operation> operations = operations(first.cryptoOperations());
        message.tracking().operations().forEach(op -> operations.add(new Operation(op.operation(), op.result())));
        int settled = queue.settleHeld(first.messageId(), rows, JSON.writeValueAsString(operations), clock.instant());
        if (settled > 0 && !message.rejected().isEmpty()) {
            notify(held.stream().filter(r -> message.rejected().containsKey(r.address())).toList(),
                    message.rejected().values().iterator().next());
        }
        deleteUnused(held);
        if (settled == 0) {
            message.deliveries().forEach(d -> spool.delete(d.content().reference()));
            return 0;
        }
        return (int) rows.stream().filter(r -> r.status() == RecipientStatus.PENDING).count();
    }

    private void notify(List<HeldRecipient> failed, String reply) {
        if (failed.isEmpty()) {
            return;
        }
        HeldRecipient first = failed.get(0);
        List<Notices.Entry> entries = failed.stream().filter(r -> wantsFailureNotice(r.dsnNotify()))
                .map(r -> new Notices.Entry(r.address(), r.orcpt(), "failed", Notices.statusOf(reply), null, reply)).toList();
        try {
            NewMessage notice = notices.build(first.messageId(), first.sender(), first.dsnRet(), first.dsnEnvid(), first.receivedAt(),
                    first.subject(), entries, spool.open(first.contentFile()), false);
            if (notice != null) {
                queue.enqueue(List.of(notice));
                newMail.run();
            }
        } catch (IOException e) {
            events.error("crypto", "Could not write the failure notice for held message " + first.messageId() + " to " + first.sender(),
                    e.toString(), MessageReference.of(first.messageId(), null));
        }
    }

    private static boolean wantsFailureNotice(String notify) {
        return new EnvelopeRecipient("x@invalid", notify, null, null).wantsNotice("FAILURE");
    }

    private void deleteUnused(List<HeldRecipient> held) {
        Set<String> files = new HashSet<>();
        held.forEach(r -> files.add(r.contentFile()));
        files.stream().filter(f -> !queue.isContentNeeded(f)).forEach(spool::delete);
    }

    private static Map<String, List<HeldRecipient>> byMessage(List<HeldRecipient> held) {
        return held.stream().collect(Collectors.groupingBy(HeldRecipient::messageId, LinkedHashMap::new, Collectors.toList()));
    }

    /** One tracked operation, in the JSON shape the intake writes. */
    record Operation(String operation, String result) {
    }

    private static List<Operation> operations(String json) {
        if (json == null || json.isBlank()) {
            return new ArrayList<>();
        }
        return new ArrayList<>(JSON.readValue(json, new TypeReference<List<Operation>>() { }));
    }
}
