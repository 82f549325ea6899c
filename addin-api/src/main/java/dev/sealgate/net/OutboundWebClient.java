package dev.sealgate.net;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.transport.ProxyProvider;

/**
 * {@link OutboundHttp}'s counterpart for Spring's reactive clients (the admin console's OpenID
 * Connect sign-in): a {@link WebClient} on Reactor Netty through the same outbound proxy, with the
 * same non-proxy hosts matched by {@link OutboundProxy#bypasses} and Basic sent to the proxy only
 * (Netty's proxy handler, on the CONNECT of every connection, plain HTTP included).
 */
public final class OutboundWebClient {

    private OutboundWebClient() {
    }

    public static WebClient create(Optional<OutboundProxy> proxy, Duration connectTimeout) {
        HttpClient http = HttpClient.create()
                .option(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis());
        if (proxy.isPresent()) {
            OutboundProxy p = proxy.get();
            http = http.proxy(spec -> {
                ProxyProvider.Builder builder = spec.type(ProxyProvider.Proxy.HTTP).host(p.host()).port(p.port())
                        .connectTimeoutMillis(connectTimeout.toMillis())
                        .nonProxyHostsPredicate(address -> p.bypasses(hostOf(address)));
                if (p.auth() == OutboundProxy.Auth.BASIC) {
                    builder.username(p.username()).password(user -> p.password());
                }
            });
        }
        return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }

    private static String hostOf(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getHostString() : String.valueOf(address);
    }
}
