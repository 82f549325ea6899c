package dev.sealgate.pipeline;

import dev.sealgate.queue.SpooledContent;
import dev.sealgate.smtp.EnvelopeRecipient;
import java.util.ArrayList;
import java.util.List;

/**
 * Recipients that receive the same bytes. Changed only through {@link PipelineMessage}, so that
 * every change is visible to later steps and lands in the queue.
 */
public final class Delivery {

    private final List<EnvelopeRecipient> recipients;
    private SpooledContent content;
    private String holdReason;

    Delivery(List<EnvelopeRecipient> recipients, SpooledContent content) {
        this.recipients = new ArrayList<>(recipients);
        this.content = content;
    }

    public List<EnvelopeRecipient> recipients() {
        return List.copyOf(recipients);
    }

    public SpooledContent content() {
        return content;
    }

    /** Why this delivery is held; null when it goes out. */
    public String holdReason() {
        return holdReason;
    }

    List<EnvelopeRecipient> mutableRecipients() {
        return recipients;
    }

    void content(SpooledContent content) {
        this.content = content;
    }

    void holdReason(String reason) {
        this.holdReason = reason;
    }
}
