package dev.sealgate.pipeline;

import dev.sealgate.policy.Direction;
import dev.sealgate.queue.Spool;
import dev.sealgate.queue.SpooledContent;
import dev.sealgate.smtp.Envelope;
import dev.sealgate.smtp.EnvelopeRecipient;
import dev.sealgate.smtp.Replies;
import dev.sealgate.tracking.MessageReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A message on its way through the {@link PipelineStep}s; see there for what a step may do. */
public final class PipelineMessage {

    private final String messageId;
    private final Envelope envelope;
    private final Map<String, String> headers;
    private final Spool spool;
    private final List<Delivery> deliveries = new ArrayList<>();
    private final Map<String, String> rejected = new LinkedHashMap<>();
    private final TrackingHandle tracking = new TrackingHandle();
    private final Map<Class<?>, Object> attributes = new java.util.concurrent.ConcurrentHashMap<>();
    private int versions;

    public PipelineMessage(String messageId, Envelope envelope, Map<String, String> headers, SpooledContent received, Spool spool) {
        this.messageId = messageId;
        this.envelope = envelope;
        this.headers = Map.copyOf(headers);
        this.spool = spool;
        deliveries.add(new Delivery(envelope.recipients(), received));
    }

    public String messageId() {
        return messageId;
    }

    /** This message for an event raised on its behalf: its tracking id and Message-ID header. */
    public MessageReference reference() {
        return MessageReference.of(messageId, header("message-id"));
    }

    public Envelope envelope() {
        return envelope;
    }

    public Direction direction() {
        return envelope.direction();
    }

    /** The first value of a header of the message as received (name case-insensitive); null when absent. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    public TrackingHandle tracking() {
        return tracking;
    }

    /**
     * Hands a result from one step to later ones (for example the add-in flags to the S/MIME
     * step), keyed by its type; lives as long as this message's pass through the pipeline.
     */
    public <T> void attribute(Class<T> type, T value) {
        attributes.put(type, value);
    }

    /** What an earlier step stored with {@link #attribute(Class, Object)}. */
    public <T> java.util.Optional<T> attribute(Class<T> type) {
        return java.util.Optional.ofNullable(attributes.get(type)).map(type::cast);
    }

    /** Recipients rejected by a step, with the reply for each. */
    public Map<String, String> rejected() {
        return Map.copyOf(rejected);
    }

    /** Replaces the bytes of a delivery with what {@code writer} writes; the new bytes are spooled durably. */
    public void transform(Delivery delivery, Spool.Writer writer) throws IOException {
        requireOwn(delivery);
        versions++;
        delivery.content(spool.write(messageId + "." + versions + ".eml", writer));
    }

    /**
     * Moves the given recipients of {@code from} into a new delivery with the same content and
     * returns it. Addresses not in {@code from} are ignored.
     */
    public Delivery split(Delivery from, Collection<String> addresses) {
        requireOwn(from);
        Set<String> wanted = addresses.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        List<EnvelopeRecipient> moved = from.mutableRecipients().stream()
                .filter(r -> wanted.contains(r.address().toLowerCase(Locale.ROOT))).toList();
        from.mutableRecipients().removeAll(moved);
        Delivery split = new Delivery(moved, from.content());
        split.holdReason(from.holdReason());
        deliveries.add(split);
        deliveries.removeIf(d -> d.mutableRecipients().isEmpty());
        return split;
    }

    /** Keeps a delivery in the queue until an admin releases or deletes it. */
    public void hold(Delivery delivery, String reason) {
        requireOwn(delivery);
        delivery.holdReason(reason);
    }

    /**
     * Takes a recipient out of the message with an SMTP reply such as
     * {@code 550 5.7.1 no certificate for bob@partner.example: encryption is mandatory}. Class and
     * exception names are taken out of the reply ({@link Replies#clean}): the sender reads it.
     */
    public void reject(String address, String reply) {
        if (!reply.matches("5\\d\\d [245]\\.\\d{1,3}\\.\\d{1,3} .+")) {
            throw new IllegalArgumentException("a rejection needs a permanent SMTP reply with an enhanced status code, was: " + reply);
        }
        String clean = Replies.clean(reply);
        for (Delivery d : deliveries) {
            if (d.mutableRecipients().removeIf(r -> r.address().equalsIgnoreCase(address))) {
                rejected.put(address, clean);
            }
        }
        deliveries.removeIf(d -> d.mutableRecipients().isEmpty());
    }

    private void requireOwn(Delivery delivery) {
        if (!deliveries.contains(delivery)) {
            throw new IllegalArgumentException("the delivery is not (or no longer) part of message " + messageId);
        }
    }
}
