package dev.sealgate.smtp;

import dev.sealgate.policy.Direction;
import java.util.List;

/**
 * What the SMTP dialogue said about a message, kept with it from reception to the last delivery.
 *
 * @param sender        envelope sender; "" for the null sender of notices
 * @param ret           RFC 3461 RET (FULL or HDRS); null when absent
 * @param envid         RFC 3461 ENVID as given (xtext); null when absent
 * @param recipients    the accepted recipients in RCPT order
 * @param clientAddress the connecting client's IP address
 * @param helo          the EHLO/HELO name
 * @param tlsProtocol   TLS protocol of the session; null for plain text
 * @param tlsCipher     TLS cipher suite of the session; null for plain text
 * @param direction     inbound or outbound
 */
public record Envelope(String sender, String ret, String envid, List<EnvelopeRecipient> recipients,
                       String clientAddress, String helo, String tlsProtocol, String tlsCipher, Direction direction) {

    public Envelope {
        recipients = List.copyOf(recipients);
    }
}
