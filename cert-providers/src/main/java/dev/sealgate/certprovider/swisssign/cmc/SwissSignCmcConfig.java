package dev.sealgate.certprovider.swisssign.cmc;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to reach SwissSign's legacy CMC interface on the MPKI platform ra.swisssign.net.
 *
 * @param endpoint                   the CMC URL, by default https://ra.swisssign.net/ws/cmc
 * @param account                    the MPKI account, query parameter {@code account}
 * @param product                    the certificate product, query parameter {@code product}
 * @param accessKeyStore             PKCS#12 with the MPKI access ("AutoRAO") certificate and its key: the TLS
 *                                   client certificate, and the key that signs our CMC requests
 * @param accessKeyStorePassword     its password; never logged nor put into a message
 * @param accessKeyAlias             the key entry to use; null if the file holds exactly one
 * @param trustedServerCertificates  trust anchors for the server's TLS certificate; empty for the JVM's defaults
 * @param connectTimeout             for opening a connection
 * @param requestTimeout             for each request's answer
 * @param orderDeadline              how long an order may stay pending before poll gives up on it
 */
public record SwissSignCmcConfig(URI endpoint, String account, String product, Path accessKeyStore,
        char[] accessKeyStorePassword, String accessKeyAlias, List<X509Certificate> trustedServerCertificates,
        Duration connectTimeout, Duration requestTimeout, Duration orderDeadline) {

    public static final URI PRODUCTION = URI.create("https://ra.swisssign.net/ws/cmc");

    public SwissSignCmcConfig {
        endpoint = endpoint == null ? PRODUCTION : endpoint;
        if (!"https".equals(endpoint.getScheme()) || endpoint.getHost() == null) {
            throw new IllegalArgumentException("endpoint must be an https URL (mutual TLS with the AutoRAO"
                    + " certificate), was " + endpoint);
        }
        if (endpoint.getQuery() != null) {
            throw new IllegalArgumentException("endpoint must not carry a query; account and product are added, was "
                    + endpoint);
        }
        requireText(account, "account");
        requireText(product, "product");
        Objects.requireNonNull(accessKeyStore, "accessKeyStore");
        Objects.requireNonNull(accessKeyStorePassword, "accessKeyStorePassword");
        accessKeyStorePassword = accessKeyStorePassword.clone();
        trustedServerCertificates = trustedServerCertificates == null ? List.of() : List.copyOf(trustedServerCertificates);
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(10), "connectTimeout");
        requestTimeout = positive(requestTimeout, Duration.ofSeconds(60), "requestTimeout");
        orderDeadline = positive(orderDeadline, Duration.ofDays(3), "orderDeadline");
    }

    /** Production endpoint, the JVM's trust anchors and default timings. */
    public SwissSignCmcConfig(String account, String product, Path accessKeyStore, char[] accessKeyStorePassword) {
        this(null, account, product, accessKeyStore, accessKeyStorePassword, null, null, null, null, null);
    }

    @Override
    public char[] accessKeyStorePassword() {
        return accessKeyStorePassword.clone();
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
        return "SwissSignCmcConfig[endpoint=" + endpoint + ", account=" + account + ", product=" + product
                + ", accessKeyStore=" + accessKeyStore + ", accessKeyStorePassword=***, accessKeyAlias=" + accessKeyAlias
                + ", trustedServerCertificates=" + trustedServerCertificates.size() + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + ", orderDeadline=" + orderDeadline + "]";
    }
}
