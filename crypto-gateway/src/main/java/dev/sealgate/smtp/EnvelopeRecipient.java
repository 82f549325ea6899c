package dev.sealgate.smtp;

import java.util.Locale;

/**
 * One RCPT TO of an envelope with its RFC 3461 parameters.
 *
 * @param address  the recipient address
 * @param dsnNotify the NOTIFY value as given ({@code NEVER} or a comma list of SUCCESS, FAILURE, DELAY); null when absent
 * @param orcpt    the ORCPT value as given ({@code rfc822;bob@example.org}); null when absent
 * @param ruleName the message-flow rule that admitted this recipient
 */
public record EnvelopeRecipient(String address, String dsnNotify, String orcpt, String ruleName) {

    /** Whether the sender asked for a notice of this kind; without NOTIFY only failures are reported. */
    public boolean wantsNotice(String kind) {
        if (dsnNotify == null) {
            return "FAILURE".equals(kind);
        }
        for (String value : dsnNotify.toUpperCase(Locale.ROOT).split(",")) {
            if (value.trim().equals(kind)) {
                return true;
            }
        }
        return false;
    }
}
