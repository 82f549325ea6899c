package dev.sealgate.smtp;

import java.net.InetAddress;
import java.time.Duration;

/**
 * How the SMTP listener listens and what it accepts.
 *
 * @param bindAddress    address to listen on; null for all
 * @param port           TCP port; 0 for an ephemeral one (tests)
 * @param hostName       name in the greeting, EHLO reply and Received header
 * @param maxMessageSize largest message in bytes (SIZE)
 * @param maxRecipients  recipients per message
 * @param maxLineLength  longest line in the message data, in octets without CR LF
 * @param maxHeaderSize  largest header section in bytes
 * @param maxConnections concurrent connections
 * @param idleTimeout    how long a connection may stay silent
 * @param bareNewline    what a bare LF in message data means
 * @param limits         per-client-address limits and time budgets
 */
public record SmtpSettings(InetAddress bindAddress, int port, String hostName, long maxMessageSize, int maxRecipients,
                           int maxLineLength, long maxHeaderSize, int maxConnections, Duration idleTimeout,
                           BareNewline bareNewline, ClientLimits limits) {

    /** Settings with bare LF normalized and no per-client limits. */
    public SmtpSettings(InetAddress bindAddress, int port, String hostName, long maxMessageSize, int maxRecipients,
                        int maxLineLength, long maxHeaderSize, int maxConnections, Duration idleTimeout) {
        this(bindAddress, port, hostName, maxMessageSize, maxRecipients, maxLineLength, maxHeaderSize, maxConnections, idleTimeout,
                BareNewline.NORMALIZE, ClientLimits.NONE);
    }
}
