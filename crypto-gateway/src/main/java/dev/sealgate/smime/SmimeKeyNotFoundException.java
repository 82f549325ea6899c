package dev.sealgate.smime;

import java.util.List;

/** None of the recipients of an encrypted message has a private key the caller could resolve. */
public class SmimeKeyNotFoundException extends SmimeException {

    private final List<RecipientReference> recipients;

    public SmimeKeyNotFoundException(List<RecipientReference> recipients) {
        super("no private key for recipient " + describe(recipients)
                + ": import the key or check the certificate the sender used");
        this.recipients = List.copyOf(recipients);
    }

    /** The recipients named in the message, none of which could be resolved. */
    public List<RecipientReference> recipients() {
        return recipients;
    }

    private static String describe(List<RecipientReference> recipients) {
        if (recipients.isEmpty()) {
            return "(the message names no recipient)";
        }
        StringBuilder sb = new StringBuilder();
        for (RecipientReference r : recipients) {
            if (sb.length() > 0) {
                sb.append(" or ");
            }
            sb.append(r);
        }
        return sb.toString();
    }
}
