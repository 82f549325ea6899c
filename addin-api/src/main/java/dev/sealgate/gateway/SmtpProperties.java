package dev.sealgate.gateway;

import dev.sealgate.StartupSummary;
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
 * @param tls            STARTTLS certificate and key
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
                             @DefaultValue Tls tls) {

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
}
