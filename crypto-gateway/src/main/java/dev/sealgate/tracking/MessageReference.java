package dev.sealgate.tracking;

/**
 * The message an event was raised on behalf of: its tracking id (the queue id of the Received header
 * and of the gateway's replies) and its Message-ID header, without angle brackets. Either may be
 * null (a Message-ID is optional in mail; a refusal before the message was spooled has no tracking id).
 */
public record MessageReference(String trackingId, String messageId) {

    public MessageReference {
        trackingId = trackingId == null || trackingId.isBlank() ? null : trackingId.strip();
        messageId = TrackingQuery.normalMessageId(messageId);
    }

    public static MessageReference of(String trackingId, String messageId) {
        return new MessageReference(trackingId, messageId);
    }
}
