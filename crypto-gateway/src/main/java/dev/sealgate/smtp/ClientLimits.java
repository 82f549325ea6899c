package dev.sealgate.smtp;

import java.time.Duration;

/**
 * Per-client-address limits of the SMTP listener (Postfix's anvil and smtpd timeouts are the
 * model). A limit of 0 means none.
 *
 * @param connectionsPerClient    concurrent connections from one address
 * @param connectionsPerMinute    connections one address may open per minute
 * @param messagesPerMinute       MAIL FROM commands one address may send per minute
 * @param recipientsPerMinute     RCPT TO commands one address may send per minute
 * @param commandTimeout          the longest a client may take for one command line, however it trickles it in
 *                                (RFC 5321 4.5.3.2 allows the server 5 minutes for MAIL and RCPT)
 * @param dataTimeout             the longest a client may take for the whole message data after the 354
 *                                (RFC 5321 4.5.3.2: 10 minutes for the DATA termination)
 * @param exemptCompanyServers    whether the company mail servers are exempt from the per-client limits
 */
public record ClientLimits(int connectionsPerClient, int connectionsPerMinute, int messagesPerMinute, int recipientsPerMinute,
                           Duration commandTimeout, Duration dataTimeout, boolean exemptCompanyServers) {

    /** No per-client limits; the RFC 5321 timeouts. */
    public static final ClientLimits NONE = new ClientLimits(0, 0, 0, 0, Duration.ofMinutes(5), Duration.ofMinutes(10), true);
}
