package dev.sealgate.certprovider;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLException;

/**
 * Turns what went wrong on the wire into one line that says where and what to do, for the
 * trust center clients. All of it is {@link ProviderFailure#TRUST_CENTER_ERROR}.
 */
public final class TransportFailures {

    private TransportFailures() {
    }

    /**
     * @param where     e.g. "SwissSign CMC at https://ra.swisssign.net/ws/cmc"
     * @param tlsAdvice what to say when TLS fails, e.g. which client certificate to check
     */
    public static CertificateProviderException describe(String where, IOException e, Duration connectTimeout,
            Duration requestTimeout, String tlsAdvice) {
        return describe(where, e, connectTimeout, requestTimeout, tlsAdvice, Optional.empty(), () -> false);
    }

    /**
     * As {@link #describe(String, IOException, Duration, Duration, String)}, for a request that went
     * through {@code proxy} ({@code host:port}): a connection that cannot be made is the proxy's, and
     * a refused authentication is the proxy's 407, not the trust center's fault.
     *
     * @param proxyRefuses asked when the failure itself does not say (a proxy that refuses a POST
     *                     answers and closes, and the client may see only the reset): whether the
     *                     proxy refuses our authentication, see {@link #proxyRefusesAuthentication}
     */
    public static CertificateProviderException describe(String where, IOException e, Duration connectTimeout,
            Duration requestTimeout, String tlsAdvice, Optional<String> proxy, BooleanSupplier proxyRefuses) {
        if (proxy.isPresent()) {
            String through = proxy.get();
            if (e instanceof HttpConnectTimeoutException) {
                return new CertificateProviderException(ProviderFailure.TRUST_CENTER_ERROR, where + ": proxy unreachable ("
                        + through + ": no connection within " + seconds(connectTimeout) + ") — " + PROXY_ADVICE, e);
            }
            if (find(e, ConnectException.class) != null) {
                return new CertificateProviderException(ProviderFailure.TRUST_CENTER_ERROR, where + ": proxy unreachable ("
                        + through + ": connection refused) — " + PROXY_ADVICE, e);
            }
            if (find(e, UnknownHostException.class) != null || find(e, UnresolvedAddressException.class) != null) {
                return new CertificateProviderException(ProviderFailure.TRUST_CENTER_ERROR, where + ": proxy unreachable ("
                        + through + ": host name does not resolve) — " + PROXY_ADVICE, e);
            }
            if (proxyRefusedAuthentication(e)) {
                return proxyAuthentication(where, through, e);
            }
            if (!(e instanceof HttpTimeoutException) && find(e, SSLException.class) == null && proxyRefuses.getAsBoolean()) {
                return proxyAuthentication(where, through, e);
            }
        }
        String message;
        if (e instanceof HttpConnectTimeoutException) {
            message = where + ": no connection within " + seconds(connectTimeout)
                    + " — check that the host is reachable on its port (firewall, proxy)";
        } else if (e instanceof HttpTimeoutException) {
            message = where + ": no answer within " + seconds(requestTimeout)
                    + " — the trust center is slow or down; retry later or raise the request timeout";
        } else if (find(e, ConnectException.class) != null) {
            message = where + ": connection refused — check the URL and that the host is reachable on its port (firewall, proxy)";
        } else if (find(e, UnknownHostException.class) != null || find(e, UnresolvedAddressException.class) != null) {
            message = where + ": host name does not resolve — check the URL and DNS";
        } else if (rootMessage(e).contains("PKIX path") || rootMessage(e).contains("certification path")) {
            message = where + ": TLS handshake failed — we do not trust the server's certificate (" + rootMessage(e)
                    + "); add its root to the trusted server certificates, or bypass the TLS-intercepting proxy";
        } else if (find(e, SSLException.class) != null || mentionsTlsAlert(e)) {
            message = where + ": TLS handshake failed (" + rootMessage(e) + ") — " + tlsAdvice;
        } else {
            message = where + ": connection failed (" + rootMessage(e) + ") — check network and proxy, then retry";
        }
        if (proxy.isPresent()) {
            message += " (through the proxy " + proxy.get() + ")";
        }
        return new CertificateProviderException(ProviderFailure.TRUST_CENTER_ERROR, message, e);
    }

    private static final String PROXY_ADVICE = "check sealgate.proxy.host and sealgate.proxy.port (or the provider's"
            + " proxy override) and that the proxy runs";

    /**
     * The proxy answered 407: to a plain HTTP request as a status, to a CONNECT tunnel or after the
     * JDK gave up re-sending credentials as an exception. A trust-center error, so that the request
     * is retried by itself once the admin fixes the credentials.
     */
    public static CertificateProviderException proxyAuthentication(String where, String proxy, Throwable cause) {
        return new CertificateProviderException(ProviderFailure.TRUST_CENTER_ERROR, where + ": proxy refused"
                + " authentication (407) at " + proxy + " — check sealgate.proxy.auth, sealgate.proxy.username and"
                + " sealgate.proxy.password (or the provider's proxy override)", cause);
    }

    /**
     * Asks through the proxy once more, with a bodiless {@code HEAD} that a refusing proxy cannot
     * cut off: whether it refuses our authentication (407, or 401 with a Basic challenge, which is
     * how tinyproxy answers wrong credentials; no trust center we call challenges for Basic).
     */
    public static boolean proxyRefusesAuthentication(HttpClient client, URI target, Duration timeout) {
        try {
            HttpResponse<Void> probe = client.send(HttpRequest.newBuilder(target).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .timeout(timeout).build(), HttpResponse.BodyHandlers.discarding());
            return isProxyRefusal(probe.statusCode(), probe.headers().firstValue("WWW-Authenticate").orElse(""));
        } catch (IOException e) {
            return proxyRefusedAuthentication(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether an answer received through a proxy is the proxy refusing our credentials. */
    public static boolean isProxyRefusal(int status, String wwwAuthenticate) {
        return status == 407 || status == 401 && wwwAuthenticate.regionMatches(true, 0, "Basic", 0, 5);
    }

    /** The JDK's words for a 407 it could not answer: wrong credentials re-sent too often, none given, a failed tunnel. */
    private static boolean proxyRefusedAuthentication(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("407") || m.contains("Tunnel failed, got: 401") || m.contains("too many authentication attempts")
                    || m.contains("No credentials provided") || m.contains("Proxy Authentication Required"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentionsTlsAlert(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.contains("fatal alert")) {
                return true;
            }
        }
        return false;
    }

    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
