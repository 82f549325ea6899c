package dev.sealgate.net;

import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Nimbus fetches a JWKS (the add-in's identity provider keys) through {@link OutboundHttp}, so the
 * fetch gets the outbound proxy, its timeouts and a byte limit like every other outbound call
 * instead of Nimbus's own {@code HttpURLConnection} without a proxy.
 */
public final class OutboundResourceRetriever implements ResourceRetriever {

    private final OutboundHttp http;
    private final long maxBytes;

    public OutboundResourceRetriever(OutboundHttp http, long maxBytes) {
        this.http = Objects.requireNonNull(http, "http");
        this.maxBytes = maxBytes;
    }

    @Override
    public Resource retrieveResource(URL url) throws IOException {
        OutboundHttp.Response response;
        try {
            response = http.send(http.request(url.toURI()).GET().header("Accept", "application/json").build(), maxBytes);
        } catch (URISyntaxException e) {
            throw new IOException(url + " is not a URI: " + e.getMessage(), e);
        }
        if (response.status() == 407) {
            throw new IOException(url + ": proxy refused authentication (407)"
                    + http.settings().proxy().map(p -> " at " + p.host() + ":" + p.port()).orElse("")
                    + " — check sealgate.proxy.auth, sealgate.proxy.username and sealgate.proxy.password");
        }
        if (response.status() / 100 != 2) {
            throw new IOException(url + " answered HTTP " + response.status());
        }
        return new Resource(new String(response.body(), StandardCharsets.UTF_8),
                response.headers().firstValue("Content-Type").orElse(null));
    }
}
