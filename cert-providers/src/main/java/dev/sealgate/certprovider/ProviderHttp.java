package dev.sealgate.certprovider;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.Optional;

/**
 * How a provider client reaches its trust center: the gateway hands every provider one of these,
 * built in one place with the outbound proxy of {@code sealgate.proxy.*} (or the provider's own
 * override), so that no provider builds a bare {@link HttpClient} of its own. The provider adds
 * what is its own (timeouts, redirect policy, TLS client certificate) to the builder.
 */
public interface ProviderHttp {

    /** Connects directly: for tests and for providers used outside the service. */
    ProviderHttp DIRECT = new ProviderHttp() {
        @Override
        public HttpClient.Builder newBuilder() {
            return HttpClient.newBuilder();
        }

        @Override
        public Optional<String> proxyFor(URI target) {
            return Optional.empty();
        }
    };

    /** A builder with the proxy and its authentication already set. */
    HttpClient.Builder newBuilder();

    /**
     * The proxy a request to {@code target} goes through, as {@code host:port} (never with credentials),
     * or empty when it connects directly; for error messages that must say "proxy unreachable" rather
     * than blame the trust center.
     */
    Optional<String> proxyFor(URI target);
}
