package dev.sealgate.certprovider.swisssign.rest;

import dev.sealgate.certprovider.CertificateChain;
import dev.sealgate.certprovider.CertificateProvider;
import dev.sealgate.certprovider.CertificateProviderException;
import dev.sealgate.certprovider.CsrCheck;
import dev.sealgate.certprovider.EnrollmentRequest;
import dev.sealgate.certprovider.EnrollmentResult;
import dev.sealgate.certprovider.OrderReference;
import dev.sealgate.certprovider.Pem;
import dev.sealgate.certprovider.ProviderFailure;
import dev.sealgate.certprovider.RevocationReason;
import dev.sealgate.certprovider.ProviderHttp;
import dev.sealgate.certprovider.TransportFailures;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * SwissSign's RA REST API as a {@link CertificateProvider}.
 *
 * <p>Requests and answers follow SwissSign's published OpenAPI description, api.yaml version 3.4.4
 * in github.com/SwissSign-AG/RaApi (commit 47744059): every operation is a POST;
 * {@code /v2/jwt/{userName}} takes the form field {@code userSecret} and answers the JWT as text;
 * {@code /v2/issue/csr/{productReference}} takes the PEM CSR as text/plain and answers a
 * {@code CertificateOrder} ({@code uuid} "ord-...", {@code status}, optional {@code certificate}
 * and {@code certificateChain}); {@code /v2/order/{orderReference}/status} answers the bare
 * {@code CertificateOrderStatus} as a JSON string; {@code /v2/order/{orderReference}/certificate/chain}
 * answers a JSON array of base64 certificates, leaf first, root last; {@code /v2/revoke} takes an
 * array of {@code RevocationRequest} and answers 204; errors come as {@code APIError}
 * ({@code uuid}, {@code errorCode}, {@code errorMessages}).
 */
public final class SwissSignRestClient implements CertificateProvider {

    private static final Logger LOG = LoggerFactory.getLogger(SwissSignRestClient.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Set<String> FINAL_FAILURES = Set.of("FAILED", "REJECTED", "REVOKED");
    private static final Pattern ORDER = Pattern.compile("ord-[0-9a-f-]{36}");
    /** SwissSign issues JWTs for eight hours; assumed if a token carries no exp. */
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(8);

    private final SwissSignRestConfig config;
    private final Clock clock;
    private final HttpClient http;
    private final String where;
    private final Optional<String> proxy;
    private String token;
    private Instant tokenExpiresAt = Instant.MIN;

    public SwissSignRestClient(SwissSignRestConfig config) {
        this(config, Clock.systemUTC());
    }

    public SwissSignRestClient(SwissSignRestConfig config, Clock clock) {
        this(config, clock, ProviderHttp.DIRECT);
    }

    /** @param outbound the gateway's outbound HTTP (proxy) for the calls to the RA API */
    public SwissSignRestClient(SwissSignRestConfig config, Clock clock, ProviderHttp outbound) {
        this.config = config;
        this.clock = clock;
        this.http = outbound.newBuilder().connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.where = "SwissSign RA API at " + config.baseUrl();
        this.proxy = outbound.proxyFor(config.baseUrl());
    }

    @Override
    public String name() {
        return "SwissSign RA API";
    }

    @Override
    public EnrollmentResult enroll(EnrollmentRequest request) throws CertificateProviderException {
        CsrCheck.check(request);
        PublicKey requestedKey = CsrCheck.publicKey(request);
        HttpResponse<String> response = call("issue request for " + request.address(),
                "/v2/issue/csr/" + config.productReference(), "text/plain",
                HttpRequest.BodyPublishers.ofString(Pem.encode(request.csr()), StandardCharsets.US_ASCII));
        JsonNode order = json(response, "issue request for " + request.address());
        String orderId = order.path("uuid").asString("");
        String status = order.path("status").asString("");
        if (!ORDER.matcher(orderId).matches() || status.isEmpty()) {
            throw malformed("issue request for " + request.address(), "a CertificateOrder without uuid or status");
        }
        OrderReference reference = new OrderReference(orderId, clock.instant());
        LOG.info("SwissSign order {} for {}: {}", orderId, request.address(), status);

        CertificateChain chain = "ISSUED".equals(status) ? chainFromOrder(order, orderId) : null;
        long waitUntil = System.nanoTime() + config.issuanceWait().toNanos();
        while (!"ISSUED".equals(status)) {
            failIfFinal(orderId, status);
            if (System.nanoTime() - waitUntil >= 0) {
                return new EnrollmentResult.Pending(reference, status);
            }
            sleep(config.pollInterval());
            status = status(orderId);
        }
        return new EnrollmentResult.Issued(reference, checkedKey(chain != null ? chain : fetchChain(reference),
                requestedKey, orderId));
    }

    @Override
    public EnrollmentResult poll(OrderReference order) throws CertificateProviderException {
        requireOrderId(order);
        String status = status(order.id());
        if ("ISSUED".equals(status)) {
            return new EnrollmentResult.Issued(order, fetchChain(order));
        }
        failIfFinal(order.id(), status);
        Instant deadline = order.submittedAt().plus(config.orderDeadline());
        if (clock.instant().isAfter(deadline)) {
            throw new CertificateProviderException(ProviderFailure.TRUST_CENTER_ERROR, where + ": order " + order.id()
                    + " is still " + status + " " + age(order) + " after it was submitted (deadline "
                    + config.orderDeadline() + ") — giving up; ask the SwissSign RA operator to approve or reject it,"
                    + " then enroll again");
        }
        return new EnrollmentResult.Pending(order, status);
    }

    @Override
    public CertificateChain fetchChain(OrderReference order) throws CertificateProviderException {
        requireOrderId(order);
        String what = "chain request for order " + order.id();
        JsonNode array = json(call(what, "/v2/order/" + order.id() + "/certificate/chain", null, null), what);
        if (!array.isArray() || array.isEmpty()) {
            throw malformed(what, "no certificates where a JSON array of base64 certificates belongs");
        }
        return parseChain(array, what);
    }

    @Override
    public void revoke(X509Certificate certificate, RevocationReason reason) throws CertificateProviderException {
        String serial = certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        Map<String, Object> revocation = new java.util.LinkedHashMap<>();
        revocation.put("serialNumber", serial);
        revocation.put("revocationReason", reason == RevocationReason.UNSPECIFIED ? "UNUSED" : reason.name());
        // SwissSign's example issuerName lists the RDNs in encoding order (DC=COM,...,CN=Some SubCA), as X500Name prints them.
        revocation.put("issuerName", X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded()).toString());
        if (config.revocationRequestor() != null) {
            revocation.put("revocationRequestor", config.revocationRequestor());
        }
        String body = JSON.writeValueAsString(List.of(revocation));
        call("revocation of certificate " + serial, "/v2/revoke", "application/json",
                HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        LOG.info("SwissSign revoked certificate {} ({})", serial, reason);
    }

    private String status(String orderId) throws CertificateProviderException {
        String what = "status request for order " + orderId;
        JsonNode status = json(call(what, "/v2/order/" + orderId + "/status", null, null), what);
        if (!status.isString() || status.stringValue().isBlank()) {
            throw malformed(what, "no CertificateOrderStatus string");
        }
        return status.stringValue();
    }

    private void failIfFinal(String orderId, String status) throws CertificateProviderException {
        if (FINAL_FAILURES.contains(status)) {
            throw new CertificateProviderException(ProviderFailure.TRUST_CENTER_ERROR, where + ": order " + orderId
                    + " ended " + status + " — see the order's tasks in the SwissSign RA portal for the reason,"
                    + " fix it (product, domain validation, authorization) and enroll again");
        }
    }

    private CertificateChain chainFromOrder(JsonNode order, String orderId) throws CertificateProviderException {
        JsonNode chain = order.path("certificateChain");
        return chain.isArray() && !chain.isEmpty() ? parseChain(chain, "issue answer for order " + orderId) : null;
    }

    private CertificateChain parseChain(JsonNode array, String what) throws CertificateProviderException {
        List<X509Certificate> certificates = new ArrayList<>();
        for (JsonNode element : array) {
            try {
                certificates.add(Pem.certificateFromBase64(element.asString("")));
            } catch (CertificateException e) {
                throw malformed(what, "an entry that is not a base64 certificate");
            }
        }
        return new CertificateChain(certificates);
    }

    private CertificateChain checkedKey(CertificateChain chain, PublicKey requestedKey, String orderId)
            throws CertificateProviderException {
        if (!chain.leaf().getPublicKey().equals(requestedKey)) {
            throw new CertificateProviderException(ProviderFailure.TRUST_CENTER_ERROR, where + ": order " + orderId
                    + " returned a certificate for another key than the CSR's — do not use it; report the order to SwissSign");
        }
        return chain;
    }

    /** One API call with the bearer token; renews the token once if the API answers 401. */
    private HttpResponse<String> call(String what, String path, String contentType, HttpRequest.BodyPublisher body)
            throws CertificateProviderException {
        HttpResponse<String> response = send(what, apiRequest(path, contentType, body, token(false)));
        if (response.statusCode() == 401) {
            LOG.info("SwissSign RA API refused our token for the {}; renewing it once", what);
            response = send(what, apiRequest(path, contentType, body, token(true)));
        }
        if (response.statusCode() / 100 != 2) {
            throw httpFailure(what, response);
        }
        return response;
    }

    private HttpRequest apiRequest(String path, String contentType, HttpRequest.BodyPublisher body, String bearer) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(config.baseUrl() + path))
                .timeout(config.requestTimeout())
                .header("Authorization", "Bearer " + bearer)
                .header("Accept", "application/json");
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return builder.POST(body == null ? HttpRequest.BodyPublishers.noBody() : body).build();
    }

    private synchronized String token(boolean renew) throws CertificateProviderException {
        if (!renew && token != null && clock.instant().plus(config.tokenRenewalMargin()).isBefore(tokenExpiresAt)) {
            return token;
        }
        String what = "token request for API user '" + config.userName() + "'";
        String form = "userSecret=" + URLEncoder.encode(config.userSecret(), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.baseUrl() + "/v2/jwt/"
                        + URLEncoder.encode(config.userName(), StandardCharsets.UTF_8).replace("+", "%20").replace("%40", "@")))
                .timeout(config.requestTimeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/plain, application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = send(what, request);
        if (response.statusCode() / 100 != 2) {
            throw httpFailure(what, response);
        }
        String jwt = response.body().strip();
        tokenExpiresAt = expiry(jwt, what);
        token = jwt;
        LOG.debug("SwissSign RA API token for '{}' valid until {}", config.userName(), tokenExpiresAt);
        return token;
    }

    private Instant expiry(String jwt, String what) throws CertificateProviderException {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw malformed(what, "something that is not a JWT");
        }
        try {
            JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            return claims.has("exp") ? Instant.ofEpochSecond(claims.get("exp").asLong())
                    : clock.instant().plus(TOKEN_LIFETIME);
        } catch (IllegalArgumentException | JacksonException e) {
            throw malformed(what, "a JWT whose claims cannot be read");
        }
    }

    private HttpResponse<String> send(String what, HttpRequest request) throws CertificateProviderException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw TransportFailures.describe(where, e, config.connectTimeout(), config.requestTimeout(),
                    "check that the gateway trusts SwissSign's server certificate and that no proxy intercepts TLS", proxy,
                    () -> TransportFailures.proxyRefusesAuthentication(http, config.baseUrl(), config.connectTimeout()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CertificateProviderException(ProviderFailure.TRUST_CENTER_ERROR, where + ": " + what
                    + " interrupted — the gateway is shutting down; the order is retried on the next start", e);
        }
    }

    private JsonNode json(HttpResponse<String> response, String what) throws CertificateProviderException {
        try {
            return JSON.readTree(response.body());
        } catch (JacksonException e) {
            throw malformed(what, "malformed JSON");
        }
    }

    private CertificateProviderException httpFailure(String what, HttpResponse<String> response) {
        int code = response.statusCode();
        if (code == 407 || proxy.isPresent()
                && TransportFailures.isProxyRefusal(code, response.headers().firstValue("WWW-Authenticate").orElse(""))) {
            return TransportFailures.proxyAuthentication(where + ": " + what, proxy.orElse("a proxy between us and SwissSign"),
                    null);
        }
        String detail = "HTTP " + code + apiError(response.body());
        String fix;
        ProviderFailure failure = ProviderFailure.TRUST_CENTER_ERROR;
        if (code == 400) {
            failure = ProviderFailure.INVALID_REQUEST;
            fix = "SwissSign refused the request as invalid; check the CSR and address against product "
                    + config.productReference();
        } else if (code == 401) {
            fix = "API user '" + config.userName() + "' was not accepted; check the user name and API key in the"
                    + " SwissSign settings";
        } else if (code == 403) {
            fix = "API user '" + config.userName() + "' may not do this; ask SwissSign to grant it the RA operator"
                    + " right for product " + config.productReference();
        } else if (code == 404) {
            fix = "unknown product, order or user; check productReference " + config.productReference()
                    + " and the API user name";
        } else if (code >= 500) {
            fix = "the trust center failed; retry later, and if it persists give SwissSign support the error uuid";
        } else {
            fix = "unexpected answer; check the base URL " + config.baseUrl();
        }
        return new CertificateProviderException(failure, where + ": " + what + " failed (" + detail + ") — " + fix);
    }

    /** ", errorCode: message; message (error uuid)" from an APIError body, or nothing if the body is none. */
    private static String apiError(String body) {
        try {
            JsonNode error = JSON.readTree(body);
            if (error == null || !error.has("errorCode")) {
                return "";
            }
            List<String> messages = new ArrayList<>();
            error.path("errorMessages").forEach(m -> messages.add(m.asString("")));
            return ", " + error.path("errorCode").asString("") + ": " + String.join("; ", messages) + " (error "
                    + error.path("uuid").asString("") + ")";
        } catch (JacksonException | IllegalArgumentException e) {
            return "";
        }
    }

    private CertificateProviderException malformed(String what, String got) {
        return new CertificateProviderException(ProviderFailure.TRUST_CENTER_ERROR, where + ": answered the " + what
                + " with " + got + " — check the base URL (a proxy or portal page instead of the API?); if it is"
                + " right, report it to SwissSign support");
    }

    private void requireOrderId(OrderReference order) throws CertificateProviderException {
        if (!ORDER.matcher(order.id()).matches()) {
            throw new CertificateProviderException(ProviderFailure.INVALID_REQUEST, where + ": '" + order.id()
                    + "' is not a SwissSign order reference (ord-<uuid>); it belongs to another provider");
        }
    }

    private String age(OrderReference order) {
        Duration age = Duration.between(order.submittedAt(), clock.instant());
        return age.toHours() >= 48 ? age.toDays() + " days" : age.toMinutes() >= 120 ? age.toHours() + " hours"
                : age.toSeconds() + " s";
    }

    private static void sleep(Duration duration) throws CertificateProviderException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CertificateProviderException(ProviderFailure.TRUST_CENTER_ERROR,
                    "SwissSign order polling interrupted — the gateway is shutting down; poll the order again", e);
        }
    }
}
