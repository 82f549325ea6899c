package dev.sealgate.net;

import java.io.IOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The outbound HTTP proxy ({@code sealgate.proxy.*}): host and port, authentication none or Basic,
 * and the hosts reached directly. Non-proxy hosts are taken exactly as configured: nothing is added
 * (not even localhost); an entry matches a host case-insensitively, as a whole, or with one
 * {@code *} at its start ({@code *.example.org}: any host ending so) or end ({@code 10.*}: any host
 * starting so), as in Java's {@code http.nonProxyHosts}.
 */
public record OutboundProxy(String host, int port, Auth auth, String username, String password, List<String> nonProxyHosts) {

    /** How the gateway authenticates to the proxy. */
    public enum Auth {
        NONE,
        /** RFC 7617 Basic, answered to the proxy's 407 challenge (never sent to the origin server). */
        BASIC
    }

    /** The JDK's list of authentication schemes it refuses for CONNECT tunnels; Basic by default. */
    public static final String TUNNELING_DISABLED_SCHEMES = "jdk.http.auth.tunneling.disabledSchemes";

    /**
     * Lets Basic answer a proxy's challenge for HTTPS (CONNECT) as well, unless the admin set the JDK
     * property: without it, no HTTPS call (SwissSign, JWKS, S3) could pass a Basic proxy (ADR 0175).
     * The credentials still go only to the configured proxy ({@link #authenticator()}). Must run
     * before the first HTTP client of the JVM: the JDK reads the property once.
     *
     * @return whether the property was set here
     */
    public static boolean allowBasicForTunnels() {
        if (System.getProperty(TUNNELING_DISABLED_SCHEMES) != null) {
            return false;
        }
        System.setProperty(TUNNELING_DISABLED_SCHEMES, "");
        return true;
    }

    public OutboundProxy {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("sealgate.proxy.host is empty: set the proxy's host name, or leave the proxy unset");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("sealgate.proxy.port " + port + " is not a TCP port (1-65535)");
        }
        auth = auth == null ? Auth.NONE : auth;
        if (auth == Auth.BASIC && (username == null || username.isEmpty() || password == null)) {
            throw new IllegalArgumentException("sealgate.proxy.auth is basic: set sealgate.proxy.username and sealgate.proxy.password");
        }
        nonProxyHosts = nonProxyHosts == null ? List.of() : List.copyOf(nonProxyHosts);
    }

    /** Whether the host is reached directly, not through the proxy. */
    public boolean bypasses(String target) {
        if (target == null) {
            return false;
        }
        String name = target.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        for (String entry : nonProxyHosts) {
            String pattern = entry.trim().toLowerCase(Locale.ROOT);
            if (pattern.isEmpty()) {
                continue;
            }
            if (pattern.startsWith("*") ? name.endsWith(pattern.substring(1))
                    : pattern.endsWith("*") ? name.startsWith(pattern.substring(0, pattern.length() - 1))
                    : name.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    ProxySelector selector() {
        Proxy proxy = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port));
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return bypasses(uri.getHost()) ? List.of(Proxy.NO_PROXY) : List.of(proxy);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException failure) {
                // the request fails with the exception; nothing to remember
            }
        };
    }

    /** Answers only the proxy's challenge, only for this proxy: the origin servers never get the credentials. */
    Authenticator authenticator() {
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                if (auth != Auth.BASIC || getRequestorType() != RequestorType.PROXY
                        || !host.equalsIgnoreCase(getRequestingHost()) || getRequestingPort() != port) {
                    return null;
                }
                return new PasswordAuthentication(username, password.toCharArray());
            }
        };
    }

    /** The value of a {@code Proxy-Authorization} header for Basic (RFC 7617, UTF-8); for the proxy alone. */
    String basicCredentials() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Without the password. */
    @Override
    public String toString() {
        return "OutboundProxy[" + host + ":" + port + ", auth=" + auth + (auth == Auth.BASIC ? ", username=" + username : "")
                + ", nonProxyHosts=" + nonProxyHosts + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OutboundProxy p && host.equals(p.host) && port == p.port && auth == p.auth
                && Objects.equals(username, p.username) && Objects.equals(password, p.password)
                && nonProxyHosts.equals(p.nonProxyHosts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, auth, username, nonProxyHosts);
    }
}
