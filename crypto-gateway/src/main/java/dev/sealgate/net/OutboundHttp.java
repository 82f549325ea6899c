package dev.sealgate.net;

import dev.sealgate.certprovider.ProviderHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one place that makes HTTP clients for calls the gateway itself starts to the outside (OCSP
 * responders, CRL distribution points; later certificate authorities and the like): every such
 * call gets the same connect and request timeouts, redirects policy and the same outbound proxy
 * ({@code sealgate.proxy.*}, issue 13). The static factories give the same proxy to the clients
 * that need their own settings: the certificate providers ({@link #forProviders}), the AWS SDK's
 * S3 client ({@link #openConnection}); see ADR 0098 and 0175. Thread-safe; one client is shared.
 */
public final class OutboundHttp {

    private final OutboundHttpSettings settings;
    private final HttpClient client;

    public OutboundHttp(OutboundHttpSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = newBuilder(settings.proxy())
                .connectTimeout(settings.connectTimeout())
                // A CA's URL that redirects is followed to plain HTTP as well: OCSP and CRL answers are signed.
                .followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * A JDK client builder that goes through the proxy (none: direct), answering its Basic challenge;
     * every {@code java.net.http} client of the service starts here.
     */
    public static HttpClient.Builder newBuilder(Optional<OutboundProxy> proxy) {
        HttpClient.Builder builder = HttpClient.newBuilder();
        proxy.ifPresent(p -> {
            builder.proxy(p.selector());
            if (p.auth() == OutboundProxy.Auth.BASIC) {
                builder.authenticator(p.authenticator());
            }
        });
        return builder;
    }

    /** The same for the certificate providers (cert-providers knows nothing of this module). */
    public static ProviderHttp forProviders(Optional<OutboundProxy> proxy) {
        return new ProviderHttp() {
            @Override
            public HttpClient.Builder newBuilder() {
                return OutboundHttp.newBuilder(proxy);
            }

            @Override
            public Optional<String> proxyFor(URI target) {
                return proxy.filter(p -> !p.bypasses(target.getHost())).map(p -> p.host() + ":" + p.port());
            }

            @Override
            public String toString() {
                return proxy.map(OutboundProxy::toString).orElse("direct");
            }
        };
    }

    /**
     * An {@link HttpURLConnection} through the proxy (none: direct), for the libraries that bring
     * their own URLConnection-based client (the AWS SDK's); Basic is answered per connection, never
     * through the JVM-wide default authenticator.
     */
    public static HttpURLConnection openConnection(URI uri, Optional<OutboundProxy> proxy, Duration connectTimeout,
                                                   Duration readTimeout) throws IOException {
        HttpURLConnection connection;
        if (proxy.isPresent() && !proxy.get().bypasses(uri.getHost())) {
            connection = (HttpURLConnection) uri.toURL().openConnection(proxy.get().selector().select(uri).get(0));
            if (proxy.get().auth() == OutboundProxy.Auth.BASIC) {
                // A CONNECT tunnel (HTTPS) answers the 407 through the authenticator. A plain HTTP
                // request whose body is streamed (an S3 PUT) cannot be re-sent after a 407, so the
                // proxy, and only the proxy, gets the credentials up front; it consumes the header.
                connection.setAuthenticator(proxy.get().authenticator());
                if ("http".equalsIgnoreCase(uri.getScheme())) {
                    connection.setRequestProperty("Proxy-Authorization", proxy.get().basicCredentials());
                }
            }
        } else {
            connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        }
        connection.setConnectTimeout((int) connectTimeout.toMillis());
        connection.setReadTimeout((int) readTimeout.toMillis());
        return connection;
    }

    public OutboundHttpSettings settings() {
        return settings;
    }

    /** A request to the URI with the request timeout applied; the caller adds method, headers and body. */
    public HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(settings.requestTimeout());
    }

    /**
     * Sends the request and reads at most {@code maxBytes} of the answer's body: a hostile or broken
     * server cannot make the gateway buffer more.
     *
     * @throws IOException on a network failure, a timeout, or a body larger than {@code maxBytes}
     */
    public Response send(HttpRequest request, long maxBytes) throws IOException {
        // The whole exchange, body included, is bounded by the request timeout: a server that drips
        // its answer byte by byte is cut off like one that never answers.
        CompletableFuture<HttpResponse<byte[]>> exchange =
                client.sendAsync(request, info -> new LimitedBody(maxBytes, request.uri()));
        try {
            HttpResponse<byte[]> response = exchange.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new HttpTimeoutException(request.uri() + " did not answer within " + settings.requestTimeout());
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + request.uri(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            Optional<OutboundProxy> proxy = settings.proxy().filter(p -> !p.bypasses(request.uri().getHost()));
            if (proxy.isPresent()) {
                throw new IOException(message + " (through the proxy " + proxy.get().host() + ":" + proxy.get().port() + ")", cause);
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(request.uri() + ": " + message, cause);
        }
    }

    /** Collects a body up to a limit; cancels the exchange once it is passed. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final long maxBytes;
        private final URI uri;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        LimitedBody(long maxBytes, URI uri) {
            this.maxBytes = maxBytes;
            this.uri = uri;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            for (ByteBuffer buffer : item) {
                if (bytes.size() + (long) buffer.remaining() > maxBytes) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException(uri + " answered with more than " + maxBytes + " bytes: refused"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }

    /** An answer read in full. */
    public record Response(int status, java.net.http.HttpHeaders headers, byte[] body) {
    }

    /**
     * Timeouts and proxy of outbound calls.
     *
     * @param connectTimeout how long a TCP (and TLS) connection may take
     * @param requestTimeout how long the whole answer may take once asked
     * @param proxy          the outbound proxy, or empty to connect directly
     */
    public record OutboundHttpSettings(Duration connectTimeout, Duration requestTimeout, Optional<OutboundProxy> proxy) {

        public static final OutboundHttpSettings DEFAULTS = new OutboundHttpSettings(Duration.ofSeconds(5), Duration.ofSeconds(10));

        public OutboundHttpSettings {
            requirePositive(connectTimeout, "connectTimeout");
            requirePositive(requestTimeout, "requestTimeout");
            Objects.requireNonNull(proxy, "proxy");
        }

        /** Direct connections. */
        public OutboundHttpSettings(Duration connectTimeout, Duration requestTimeout) {
            this(connectTimeout, requestTimeout, Optional.empty());
        }

        public OutboundHttpSettings withProxy(Optional<OutboundProxy> outboundProxy) {
            return new OutboundHttpSettings(connectTimeout, requestTimeout, outboundProxy);
        }

        private static void requirePositive(Duration d, String name) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be a positive duration, not " + d);
            }
        }
    }
}
