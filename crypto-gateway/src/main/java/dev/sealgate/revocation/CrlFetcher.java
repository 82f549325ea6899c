package dev.sealgate.revocation;

import dev.sealgate.certs.Crls;
import dev.sealgate.net.OutboundHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches CRLs from HTTP distribution points and keeps them in memory, by URL, for as long as both
 * the CRL (nextUpdate) and the HTTP answer (Cache-Control max-age, no-cache, no-store, Expires) allow;
 * after that the CRL is fetched again, conditionally (ETag, Last-Modified) when the server gave
 * validators. A CRL is cached as fetched: its signature and currency are judged by the caller on
 * every use, against the issuer of the certificate in question. Thread-safe.
 */
final class CrlFetcher {

    private static final Pattern MAX_AGE = Pattern.compile("(?:^|,)\\s*(?:s-)?max-age\\s*=\\s*\"?(\\d+)\"?", Pattern.CASE_INSENSITIVE);

    /** A fetched CRL, until when it may be used without asking the server again, and the validators. */
    record Cached(X509CRL crl, Instant reuseUntil, Optional<String> etag, Optional<String> lastModified) {
    }

    private final OutboundHttp http;
    private final RevocationSettings settings;
    private final Clock clock;
    private final BoundedCache<String, Cached> cache;
    private final SingleFlight<String, Cached> fetches = new SingleFlight<>();

    CrlFetcher(OutboundHttp http, RevocationSettings settings, Clock clock) {
        this.http = http;
        this.settings = settings;
        this.clock = clock;
        this.cache = new BoundedCache<>(settings.cacheSize());
    }

    /**
     * The CRL at the URL: from the cache while it may be reused, else fetched. When the fetch fails
     * and a cached copy exists, the cached copy is returned (its nextUpdate still decides whether it
     * is believed).
     *
     * @throws IOException when the CRL can be neither fetched nor taken from the cache
     */
    X509CRL get(String url) throws IOException {
        Optional<Cached> cached = cache.get(url);
        Instant now = clock.instant();
        if (cached.isPresent() && now.isBefore(cached.get().reuseUntil())) {
            return cached.get().crl();
        }
        try {
            return fetches.run(url, () -> fetch(url, cached)).crl();
        } catch (IOException e) {
            if (cached.isPresent()) {
                return cached.get().crl();
            }
            throw e;
        }
    }

    private Cached fetch(String url, Optional<Cached> previous) throws IOException {
        HttpRequest.Builder request;
        try {
            request = http.request(URI.create(url)).GET();
        } catch (IllegalArgumentException e) {
            throw new IOException("not a usable URL: " + e.getMessage(), e);
        }
        previous.flatMap(Cached::etag).ifPresent(etag -> request.header("If-None-Match", etag));
        previous.flatMap(Cached::lastModified).ifPresent(date -> request.header("If-Modified-Since", date));
        OutboundHttp.Response response = http.send(request.build(), settings.maxCrlSize());
        X509CRL crl;
        if (response.status() == 304 && previous.isPresent()) {
            crl = previous.get().crl();
        } else if (response.status() == 200) {
            try {
                crl = Crls.parse(response.body());
            } catch (IllegalArgumentException e) {
                throw new IOException("the answer is not a CRL (" + e.getMessage() + ")", e);
            }
        } else {
            throw new IOException("HTTP " + response.status());
        }
        Cached fresh = new Cached(crl, reuseUntil(crl, response.headers()), response.headers().firstValue("ETag"),
                response.headers().firstValue("Last-Modified"));
        if (!noStore(response.headers())) {
            cache.put(url, fresh);
        } else {
            cache.remove(url);
        }
        return fresh;
    }

    /** The earlier of the CRL's nextUpdate and what the HTTP caching headers allow. */
    private Instant reuseUntil(X509CRL crl, HttpHeaders headers) {
        Instant now = clock.instant();
        Instant byCrl = crl.getNextUpdate() != null
                ? crl.getNextUpdate().toInstant()
                : now.plus(settings.freshnessWithoutNextUpdate());
        Optional<Instant> byHttp = httpFreshness(headers, now);
        return byHttp.filter(h -> h.isBefore(byCrl)).orElse(byCrl);
    }

    private static Optional<Instant> httpFreshness(HttpHeaders headers, Instant now) {
        String cacheControl = String.join(",", headers.allValues("Cache-Control")).toLowerCase(Locale.ROOT);
        if (cacheControl.contains("no-cache") || cacheControl.contains("no-store")) {
            return Optional.of(now);
        }
        Matcher maxAge = MAX_AGE.matcher(cacheControl);
        if (maxAge.find()) {
            long seconds = Long.parseLong(maxAge.group(1).length() > 12 ? "999999999999" : maxAge.group(1));
            long age = headers.firstValue("Age").map(CrlFetcher::seconds).orElse(0L);
            return Optional.of(now.plusSeconds(Math.max(0, seconds - age)));
        }
        return headers.firstValue("Expires").map(expires -> {
            try {
                return ZonedDateTime.parse(expires, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException malformed) {
                // RFC 9111 5.3: an invalid Expires means already expired
                return now;
            }
        });
    }

    private static boolean noStore(HttpHeaders headers) {
        return String.join(",", headers.allValues("Cache-Control")).toLowerCase(Locale.ROOT).contains("no-store");
    }

    private static long seconds(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    int cached() {
        return cache.size();
    }
}
