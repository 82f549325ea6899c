package dev.sealgate.pipeline;

import dev.sealgate.flags.FlagsToken;
import dev.sealgate.policy.Direction;
import dev.sealgate.queue.Spool;
import dev.sealgate.queue.SpooledContent;
import dev.sealgate.smtp.Envelope;
import dev.sealgate.smtp.EnvelopeRecipient;
import dev.sealgate.smtp.Replies;
import dev.sealgate.tracking.MessageReference;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A message on its way through the {@link PipelineStep}s; see there for what a step may do. Close
 * it when the pipeline is done: a parse of the received content that no step took is released.
 */
public final class PipelineMessage implements AutoCloseable {

    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final String messageId;
    private final Envelope envelope;
    private final Map<String, String> headers;
    private final Spool spool;
    private final List<Delivery> deliveries = new ArrayList<>();
    private final Map<String, String> rejected = new LinkedHashMap<>();
    private final TrackingHandle tracking = new TrackingHandle();
    private final Map<Class<?>, Object> attributes = new java.util.concurrent.ConcurrentHashMap<>();
    private int versions;
    private final SpooledContent received;
    /** The received content parsed once, for the intake's header values and the first step that reads it. */
    private MessageFiles.SpooledMessage parsedReceived;

    /**
     * A message as the intake received it. Its header is parsed once: the values the tracking and
     * the steps read ({@link #header}) come from that parse, and the first step that reads the
     * received content gets the same parse ({@link #read}) instead of parsing it again.
     */
    public static PipelineMessage received(String messageId, Envelope envelope, SpooledContent received, Spool spool)
            throws IOException {
        Optional<MessageFiles.SpooledMessage> parsed = MessageFiles.readIfParsable(received);
        PipelineMessage message = new PipelineMessage(messageId, envelope,
                parsed.map(p -> headerValues(p.mime())).orElse(Map.of()), received, spool);
        message.parsedReceived = parsed.orElse(null);
        return message;
    }

    /**
     * The header values the intake keeps: From, Subject, Message-ID, To and Date unfolded and
     * decoded (control characters, which a database text column refuses, replaced), and the add-in's
     * flags headers with all whitespace removed (a JWS and a correlation id have none).
     */
    private static Map<String, String> headerValues(MimeMessage mime) {
        Map<String, String> result = new HashMap<>();
        try {
            for (String name : List.of("From", "Subject", "Message-ID", "To", "Date")) {
                String value = mime.getHeader(name, ", ");
                if (value != null) {
                    try {
                        value = MimeUtility.decodeText(MimeUtility.unfold(value));
                    } catch (UnsupportedEncodingException e) {
                        value = MimeUtility.unfold(value);
                    }
                    result.put(name.toLowerCase(Locale.ROOT), CONTROL.matcher(value).replaceAll("\uFFFD"));
                }
            }
            for (String name : List.of(FlagsToken.HEADER, FlagsToken.CORRELATION_HEADER)) {
                String value = mime.getHeader(name, null);
                if (value != null) {
                    result.put(name.toLowerCase(Locale.ROOT), WHITESPACE.matcher(value).replaceAll(""));
                }
            }
        } catch (MessagingException e) {
            return result;
        }
        return result;
    }

    /**
     * The content parsed for a step, which owns it (may change its header) and closes it. The received
     * content's parse is handed out once; every other read parses the content.
     */
    MessageFiles.SpooledMessage read(SpooledContent content) throws IOException {
        MessageFiles.SpooledMessage parsed = parsedReceived;
        if (parsed != null && content == received) {
            parsedReceived = null;
            return parsed;
        }
        return MessageFiles.read(content);
    }

    /** Releases the parse of the received content if no step took it. */
    @Override
    public void close() {
        MessageFiles.SpooledMessage parsed = parsedReceived;
        parsedReceived = null;
        if (parsed != null) {
            try {
                parsed.close();
            } catch (IOException e) {
                // a stream that was only read: closing it cannot lose anything, and the message goes on
            }
        }
    }

    public PipelineMessage(String messageId, Envelope envelope, Map<String, String> headers, SpooledContent received, Spool spool) {
        this.messageId = messageId;
        this.envelope = envelope;
        this.headers = Map.copyOf(headers);
        this.spool = spool;
        this.received = received;
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
