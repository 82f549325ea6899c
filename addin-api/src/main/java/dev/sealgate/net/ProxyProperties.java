package dev.sealgate.net;

import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The outbound HTTP proxy for the gateway's own calls to the outside (OCSP responders, CRL
 * distribution points), see docs/configuration/revocation.md and docs/adr/0098-one-factory-for-outbound-http.md.
 * Unset host: no proxy.
 *
 * @param host          the proxy's host name or address; empty means connect directly
 * @param port          its port
 * @param auth          {@code none} or {@code basic}
 * @param username      for {@code basic}
 * @param password      for {@code basic}; never logged
 * @param nonProxyHosts hosts reached directly, exactly as configured ({@code *} at the start or end of an entry)
 */
@ConfigurationProperties("sealgate.proxy")
public record ProxyProperties(String host,
                              @DefaultValue("3128") int port,
                              @DefaultValue("none") OutboundProxy.Auth auth,
                              String username,
                              String password,
                              @DefaultValue List<String> nonProxyHosts) {

    /** The proxy, or empty when no host is set; incomplete settings stop the start with the key to fix. */
    public Optional<OutboundProxy> proxy() {
        if (host == null || host.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new OutboundProxy(host.trim(), port, auth, username, password, nonProxyHosts));
    }

    /** Without the password. */
    @Override
    public String toString() {
        return "ProxyProperties[host=" + host + ", port=" + port + ", auth=" + auth + ", username=" + username
                + ", nonProxyHosts=" + nonProxyHosts + "]";
    }
}
