package dev.sealgate.queue;

import dev.sealgate.policy.Direction;
import dev.sealgate.smtp.Envelope;
import dev.sealgate.smtp.EnvelopeRecipient;
import dev.sealgate.tracking.RecipientStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Builders of queue rows for repository contracts. */
public final class QueueFixtures {

    private QueueFixtures() {
    }

    /** A message from {@code sender} to the given recipients, all pending for next hop {@code hop}. */
    public static NewMessage message(String id, Instant at, String sender, String hop, String... recipients) {
        return message(id, at, sender, hop, RecipientStatus.PENDING, recipients);
    }

    public static NewMessage message(String id, Instant at, String sender, String hop, RecipientStatus status, String... recipients) {
        List<EnvelopeRecipient> envelopeRecipients = Arrays.stream(recipients)
                .map(r -> new EnvelopeRecipient(r, "SUCCESS,FAILURE", "rfc822;" + r, "Inbound to own domains")).toList();
        Envelope envelope = new Envelope(sender, "HDRS", "ENV-" + id, envelopeRecipients, "192.0.2.10", "mx.partner.example",
                "TLSv1.3", "TLS_AES_128_GCM_SHA256", Direction.INBOUND);
        return new NewMessage(id, at, envelope, "Alice <" + sender + ">", "subject of " + id, 1234, null,
                envelopeRecipients.stream().map(r -> new NewMessage.Recipient(r.address(), r.dsnNotify(), r.orcpt(), hop,
                        id + ".eml", status, status == RecipientStatus.HELD ? "waiting for a certificate" : null)).toList());
    }
}
