package dev.sealgate.certprovider.swisssign.rest;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How to reach SwissSign's RA REST API (the "RA API", api.yaml 3.4.x of github.com/SwissSign-AG/RaApi).
 *
 * @param baseUrl             production https://api.ra.swisssign.ch, pre-production https://api.ra.pre.swisssign.ch;
 *                            plain http only for a loopback host (tests)
 * @param userName            the RA API user, path parameter of {@code POST /v2/jwt/{userName}}
 * @param userSecret          its API key, exchanged for a JWT; never logged nor put into a message
 * @param productReference    the certificate product to issue with, {@code pma-<uuid>}
 * @param connectTimeout      for opening a connection
 * @param requestTimeout      for each request's answer
 * @param pollInterval        between status requests while {@link SwissSignRestClient#enroll} waits
 * @param issuanceWait        how long enroll waits for ISSUED before it returns the order as pending
 * @param orderDeadline       how long an order may stay pending before poll gives up on it
 * @param tokenRenewalMargin  renew the JWT when less than this remains of its lifetime
 * @param revocationRequestor first and last name sent with revocations; required by SwissSign for
 *                            SERVICE_ACCOUNT users, may be null otherwise
 */
public record SwissSignRestConfig(URI baseUrl, String userName, String userSecret, String productReference,
        Duration connectTimeout, Duration requestTimeout, Duration pollInterval, Duration issuanceWait,
        Duration orderDeadline, Duration tokenRenewalMargin, String revocationRequestor) {

    public static final URI PRODUCTION = URI.create("https://api.ra.swisssign.ch");
    private static final Pattern PRODUCT = Pattern.compile("pma-[0-9a-f-]{36}");
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    public SwissSignRestConfig {
        baseUrl = baseUrl == null ? PRODUCTION : URI.create(baseUrl.toString().replaceAll("/+$", ""));
        requireText(userName, "userName");
        requireText(userSecret, "userSecret");
        requireText(productReference, "productReference");
        if (!PRODUCT.matcher(productReference).matches()) {
            throw new IllegalArgumentException("productReference must look like pma-<uuid>, was " + productReference);
        }
        boolean https = "https".equals(baseUrl.getScheme());
        boolean loopbackHttp = "http".equals(baseUrl.getScheme()) && LOOPBACK.contains(baseUrl.getHost());
        if (!https && !loopbackHttp) {
            throw new IllegalArgumentException("baseUrl must be https (the API key travels on it), was " + baseUrl);
        }
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(10), "connectTimeout");
        requestTimeout = positive(requestTimeout, Duration.ofSeconds(30), "requestTimeout");
        pollInterval = positive(pollInterval, Duration.ofSeconds(2), "pollInterval");
        issuanceWait = issuanceWait == null ? Duration.ofSeconds(30) : issuanceWait;
        if (issuanceWait.isNegative()) {
            throw new IllegalArgumentException("issuanceWait must not be negative, was " + issuanceWait);
        }
        orderDeadline = positive(orderDeadline, Duration.ofDays(3), "orderDeadline");
        tokenRenewalMargin = tokenRenewalMargin == null ? Duration.ofMinutes(5) : tokenRenewalMargin;
    }

    /** Production URL and default timings. */
    public SwissSignRestConfig(String userName, String userSecret, String productReference) {
        this(null, userName, userSecret, productReference, null, null, null, null, null, null, null);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be set");
        }
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        Duration result = Objects.requireNonNullElse(value, fallback);
        if (result.isNegative() || result.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + result);
        }
        return result;
    }

    @Override
    public String toString() {
        return "SwissSignRestConfig[baseUrl=" + baseUrl + ", userName=" + userName + ", userSecret=***, productReference="
                + productReference + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", pollInterval=" + pollInterval + ", issuanceWait=" + issuanceWait + ", orderDeadline="
                + orderDeadline + ", tokenRenewalMargin=" + tokenRenewalMargin + ", revocationRequestor="
                + revocationRequestor + "]";
    }
}
