package dev.sealgate.net;

import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The outbound HTTP proxy for the gateway's own calls to the outside (OCSP responders, CRL
 * distribution points, certificate providers, the add-in's JWKS, S3), see docs/configuration/proxy.md,
 * docs/adr/0098-one-factory-for-outbound-http.md and 0175. Unset host: no proxy.
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

    /**
     * The proxy of one certificate provider: its own {@code <prefix>.proxy.*} when any of those keys
     * is set ({@code direct: true} for no proxy, or a complete proxy of its own, nothing inherited),
     * else {@code global}.
     *
     * @param prefix e.g. {@code sealgate.enrollment.swisssign}
     */
    public static Optional<OutboundProxy> forProvider(Binder binder, String prefix, Optional<OutboundProxy> global) {
        String name = prefix + ".proxy";
        BindResult<ProviderOverride> bound = binder.bind(name, Bindable.of(ProviderOverride.class));
        if (!bound.isBound()) {
            return global;
        }
        ProviderOverride own = bound.get();
        if (own.direct()) {
            return Optional.empty();
        }
        if (own.host() == null || own.host().isBlank()) {
            throw new IllegalArgumentException(name + " is set without a host: set " + name + ".host (a proxy for this"
                    + " provider alone) or " + name + ".direct=true (no proxy for it), or remove " + name + ".*");
        }
        try {
            return Optional.of(new OutboundProxy(own.host().trim(), own.port(), own.auth(), own.username(), own.password(),
                    own.nonProxyHosts()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("sealgate.proxy.", name + "."), e);
        }
    }

    /**
     * A provider's own proxy ({@code <prefix>.proxy.*}): the keys of {@code sealgate.proxy.*} plus
     * {@code direct}.
     */
    public record ProviderOverride(@DefaultValue("false") boolean direct,
                           String host,
                           @DefaultValue("3128") int port,
                           @DefaultValue("none") OutboundProxy.Auth auth,
                           String username,
                           String password,
                           @DefaultValue List<String> nonProxyHosts) {

        /** Without the password. */
        @Override
        public String toString() {
            return "ProxyProperties.ProviderOverride[direct=" + direct + ", host=" + host + ", port=" + port + ", auth=" + auth
                    + ", username=" + username + ", nonProxyHosts=" + nonProxyHosts + "]";
        }
    }

    /** Without the password. */
    @Override
    public String toString() {
        return "ProxyProperties[host=" + host + ", port=" + port + ", auth=" + auth + ", username=" + username
                + ", nonProxyHosts=" + nonProxyHosts + "]";
    }
}
