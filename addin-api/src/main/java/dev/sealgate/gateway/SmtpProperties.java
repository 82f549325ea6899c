package dev.sealgate.gateway;

import dev.sealgate.StartupSummary;
import dev.sealgate.smtp.BareNewline;
import dev.sealgate.smtp.ClientLimits;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The SMTP listener ({@code sealgate.smtp.*}).
 *
 * @param enabled        whether to listen at all (default true)
 * @param port           TCP port (default 2525, so that a fresh start needs no root; see the README for port 25)
 * @param bindAddress    address to listen on (default: all)
 * @param hostName       name in greeting, EHLO and Received headers (default: this machine's name)
 * @param maxMessageSize largest message, announced as SIZE and enforced during DATA (default 50MB)
 * @param maxRecipients  recipients per message (default 500)
 * @param maxLineLength  longest line of message data in octets, without CR LF (default 998, RFC 5321)
 * @param maxHeaderSize  largest header section (default 1MB)
 * @param maxConnections concurrent connections (default 200)
 * @param idleTimeout    a connection silent this long is closed (default 5m)
 * @param bareNewline    a bare LF in message data: {@code normalize} (default; a line end, only CR LF . CR LF ends
 *                       the data, Postfix 3.9's default) or {@code reject} (521 and the connection is closed)
 * @param tls            STARTTLS certificate and key
 * @param limits         per-client-address limits and time budgets
 */
@ConfigurationProperties("sealgate.smtp")
public record SmtpProperties(@DefaultValue("true") boolean enabled,
                             @DefaultValue("2525") int port,
                             String bindAddress,
                             String hostName,
                             @DefaultValue("50MB") DataSize maxMessageSize,
                             @DefaultValue("500") int maxRecipients,
                             @DefaultValue("998") int maxLineLength,
                             @DefaultValue("1MB") DataSize maxHeaderSize,
                             @DefaultValue("200") int maxConnections,
                             @DefaultValue("5m") Duration idleTimeout,
                             @DefaultValue("normalize") BareNewline bareNewline,
                             @DefaultValue Tls tls,
                             @DefaultValue Limits limits) {

    /**
     * The name the gateway greets with and puts in Received headers, notices and links:
     * {@code host-name} when set, else this machine's name (see {@link StartupSummary#effectiveHostName}).
     */
    public String effectiveHostName() {
        return StartupSummary.effectiveHostName(hostName);
    }

    /**
     * @param enabled     offer STARTTLS (default true)
     * @param certificate PEM certificate chain; with {@code key} unset, a self-signed pair is generated
     *                    into {@code <data-dir>/tls} on first start
     * @param key         PEM private key (unencrypted; protect the file)
     */
    public record Tls(@DefaultValue("true") boolean enabled, Path certificate, Path key) {
    }

    /**
     * Per-client-address limits ({@code sealgate.smtp.limits.*}; Postfix's anvil is the model). A
     * client over a limit gets {@code 421 4.7.0} and is disconnected; 0 turns a limit off.
     *
     * @param connectionsPerClient concurrent connections from one address (default 20)
     * @param connectionsPerMinute connections one address may open per minute (default 120)
     * @param messagesPerMinute    messages (MAIL FROM) one address may start per minute (default 120)
     * @param recipientsPerMinute  recipients (RCPT TO) one address may give per minute (default 1000)
     * @param commandTimeout       the longest a client may take for one command line, however slowly it sends it
     *                             (default 5m, RFC 5321 4.5.3.2)
     * @param dataTimeout          the longest a client may take for the whole message data (default 10m, RFC 5321 4.5.3.2)
     * @param exemptCompanyServers whether the company mail servers ({@code sealgate.company-servers}) are exempt from
     *                             the per-client limits (default true; the time budgets and max-connections still apply)
     * @param scope                where the rate limits are counted: {@code node} (in this node's memory),
     *                             {@code cluster} (shared through the database, ADR 0155), or {@code auto} (default:
     *                             {@code cluster} unless the database is H2, which only one node can use)
     * @param clusterSyncInterval  with scope {@code cluster}, how often a node hands its counts to the database and reads
     *                             the others' (default 1s); a client can exceed a limit by what the other nodes admit
     *                             in one interval
     */
    public record Limits(@DefaultValue("20") int connectionsPerClient,
                         @DefaultValue("120") int connectionsPerMinute,
                         @DefaultValue("120") int messagesPerMinute,
                         @DefaultValue("1000") int recipientsPerMinute,
                         @DefaultValue("5m") Duration commandTimeout,
                         @DefaultValue("10m") Duration dataTimeout,
                         @DefaultValue("true") boolean exemptCompanyServers,
                         @DefaultValue("auto") Scope scope,
                         @DefaultValue("1s") Duration clusterSyncInterval) {

        /** Where the per-client rate limits are counted. */
        public enum Scope { AUTO, NODE, CLUSTER }

        /** Whether the rate limits are counted for the cluster, given the service's JDBC URL. */
        public boolean clusterWide(String jdbcUrl) {
            return switch (scope) {
                case NODE -> false;
                case CLUSTER -> true;
                case AUTO -> jdbcUrl != null && !jdbcUrl.isBlank() && !jdbcUrl.strip().toLowerCase(java.util.Locale.ROOT).startsWith("jdbc:h2:");
            };
        }

        public ClientLimits toClientLimits() {
            return new ClientLimits(connectionsPerClient, connectionsPerMinute, messagesPerMinute, recipientsPerMinute,
                    commandTimeout, dataTimeout, exemptCompanyServers);
        }
    }
}
