package dev.sealgate.flags;

/**
 * What the sender chose in Outlook for one message.
 *
 * @param encrypt    encrypt the message for its recipients
 * @param sign       sign the message
 * @param largeFiles replace large attachments by download links
 */
public record MessageFlags(boolean encrypt, boolean sign, boolean largeFiles) {
}
