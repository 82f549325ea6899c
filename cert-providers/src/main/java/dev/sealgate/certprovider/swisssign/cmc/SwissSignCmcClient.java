package dev.sealgate.certprovider.swisssign.cmc;

import dev.sealgate.certprovider.CertificateChain;
import dev.sealgate.certprovider.CertificateProvider;
import dev.sealgate.certprovider.CertificateProviderException;
import dev.sealgate.certprovider.CsrCheck;
import dev.sealgate.certprovider.EnrollmentRequest;
import dev.sealgate.certprovider.EnrollmentResult;
import dev.sealgate.certprovider.OrderReference;
import dev.sealgate.certprovider.ProviderFailure;
import dev.sealgate.certprovider.RevocationReason;
import dev.sealgate.certprovider.ProviderHttp;
import dev.sealgate.certprovider.TransportFailures;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.cmc.CMCObjectIdentifiers;
import org.bouncycastle.asn1.cmc.GetCert;
import org.bouncycastle.asn1.cmc.RevokeRequest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.GeneralName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SwissSign's legacy CMC interface (MPKI platform ra.swisssign.net) as a {@link CertificateProvider}.
 *
 * <p>Each call is one CMC Full PKI Request (RFC 5272), POSTed as {@code application/pkcs7-mime} to
 * {@code /ws/cmc?account=...&product=...} over mutual TLS: the MPKI access ("AutoRAO") certificate
 * authenticates the gateway as the TLS client and signs the request. Enrollment sends the CSR as a
 * TaggedRequest; polling a pending order sends the queryPending control with the pendToken; fetching
 * an issued chain sends getCert; revocation sends revokeRequest.
 *
 * <p>Order references say which of the two follow-ups applies: {@code pend:<token>} for a pending
 * order, {@code cert:<GetCert>} for an issued one, both base64url DER.
 */
public final class SwissSignCmcClient implements CertificateProvider {

    private static final Logger LOG = LoggerFactory.getLogger(SwissSignCmcClient.class);
    private static final String PENDING_PREFIX = "pend:";
    private static final String ISSUED_PREFIX = "cert:";
    private static final String CONTENT_TYPE = "application/pkcs7-mime";

    private final SwissSignCmcConfig config;
    private final Clock clock;
    private final String where;
    private final URI url;
    private final PrivateKey accessKey;
    private final List<X509Certificate> accessChain;
    private final HttpClient http;
    private final Optional<String> proxy;

    public SwissSignCmcClient(SwissSignCmcConfig config) throws CertificateProviderException {
        this(config, Clock.systemUTC());
    }

    public SwissSignCmcClient(SwissSignCmcConfig config, Clock clock) throws CertificateProviderException {
        this(config, clock, ProviderHttp.DIRECT);
    }

    /** @param outbound the gateway's outbound HTTP (proxy) for the calls to the CMC interface */
    public SwissSignCmcClient(SwissSignCmcConfig config, Clock clock, ProviderHttp outbound) throws CertificateProviderException {
        this.config = config;
        this.clock = clock;
        this.where = "SwissSign CMC at " + config.endpoint();
        this.proxy = outbound.proxyFor(config.endpoint());
        this.url = URI.create(config.endpoint() + "?account=" + URLEncoder.encode(config.account(), StandardCharsets.UTF_8)
                + "&product=" + URLEncoder.encode(config.product(), StandardCharsets.UTF_8));
        char[] password = config.accessKeyStorePassword();
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(config.accessKeyStore())) {
                keyStore.load(in, password);
            }
            String alias = accessAlias(keyStore);
            this.accessKey = (PrivateKey) keyStore.getKey(alias, password);
            Certificate[] chain = keyStore.getCertificateChain(alias);
            this.accessChain = Arrays.stream(chain).map(X509Certificate.class::cast).toList();
            this.http = outbound.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(config.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .sslContext(sslContext(alias, password))
                    .build();
        } catch (IOException | GeneralSecurityException e) {
            throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, where
                    + ": cannot use the MPKI access (AutoRAO) key store " + config.accessKeyStore() + " ("
                    + TransportFailures.rootMessage(e) + ") — check the file and its password; export the AutoRAO"
                    + " certificate with its private key as PKCS#12", e);
        } finally {
            Arrays.fill(password, '\0');
        }
        LOG.info("{}: client certificate {} issued by {}", where, accessCertificate().getSubjectX500Principal(),
                accessCertificate().getIssuerX500Principal());
    }

    private String accessAlias(KeyStore keyStore) throws GeneralSecurityException, CertificateProviderException {
        if (config.accessKeyAlias() != null) {
            if (!keyStore.isKeyEntry(config.accessKeyAlias())) {
                throw configurationError("holds no key entry named '" + config.accessKeyAlias() + "'");
            }
            return config.accessKeyAlias();
        }
        List<String> keys = new ArrayList<>();
        for (String alias : Collections.list(keyStore.aliases())) {
            if (keyStore.isKeyEntry(alias)) {
                keys.add(alias);
            }
        }
        if (keys.size() != 1) {
            throw configurationError("holds " + keys.size() + " key entries " + keys + "; name the AutoRAO one as accessKeyAlias");
        }
        return keys.get(0);
    }

    private CertificateProviderException configurationError(String what) {
        return new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, where
                + ": the MPKI access (AutoRAO) key store " + config.accessKeyStore() + " " + what
                + " — export the AutoRAO certificate with its private key as PKCS#12");
    }

    /** Only the configured access key goes into the key manager, so no other certificate can be offered. */
    private SSLContext sslContext(String alias, char[] password) throws GeneralSecurityException, IOException {
        KeyStore clientKeys = KeyStore.getInstance("PKCS12");
        clientKeys.load(null, null);
        clientKeys.setKeyEntry(alias, accessKey, password, accessChain.toArray(X509Certificate[]::new));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(clientKeys, password);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (config.trustedServerCertificates().isEmpty()) {
            trustManagers.init((KeyStore) null);
        } else {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            for (int i = 0; i < config.trustedServerCertificates().size(); i++) {
                anchors.setCertificateEntry("server-anchor-" + i, config.trustedServerCertificates().get(i));
            }
            trustManagers.init(anchors);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private X509Certificate accessCertificate() {
        return accessChain.get(0);
    }

    @Override
    public String name() {
        return "SwissSign CMC";
    }

    @Override
    public EnrollmentResult enroll(EnrollmentRequest request) throws CertificateProviderException {
        CsrCheck.check(request);
        PublicKey requestedKey = CsrCheck.publicKey(request);
        String what = "enrollment of " + request.address();
        byte[] body;
        try {
            body = CmcMessages.certificationRequest(request.csr(), accessKey, accessChain);
        } catch (IOException e) {
            throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, where + ": " + e.getMessage()
                    + " — check the AutoRAO key in " + config.accessKeyStore(), e);
        }
        EnrollmentResult result = outcome(what, exchange(what, body), requestedKey, clock.instant(), null);
        LOG.info("{}: {} {}", where, what, result instanceof EnrollmentResult.Issued ? "issued" : "pending");
        return result;
    }

    @Override
    public EnrollmentResult poll(OrderReference order) throws CertificateProviderException {
        if (order.id().startsWith(ISSUED_PREFIX)) {
            return new EnrollmentResult.Issued(order, fetchChain(order));
        }
        byte[] token = decode(order, PENDING_PREFIX);
        String what = "status query for pending order " + order.id();
        EnrollmentResult result = outcome(what, exchange(what, control(CMCObjectIdentifiers.id_cmc_queryPending,
                new DEROctetString(token))), null, order.submittedAt(), order);
        if (result instanceof EnrollmentResult.Pending && clock.instant().isAfter(order.submittedAt().plus(config.orderDeadline()))) {
            throw new CertificateProviderException(ProviderFailure.TRUST_CENTER_ERROR, where + ": order " + order.id()
                    + " is still pending " + Duration.between(order.submittedAt(), clock.instant()).toDays()
                    + " days after it was submitted (deadline " + config.orderDeadline() + ") — giving up; ask the"
                    + " SwissSign RA operator of account " + config.account() + " to approve or reject it, then enroll again");
        }
        return result;
    }

    @Override
    public CertificateChain fetchChain(OrderReference order) throws CertificateProviderException {
        if (order.id().startsWith(PENDING_PREFIX)) {
            if (poll(order) instanceof EnrollmentResult.Issued issued) {
                return issued.chain();
            }
            throw new CertificateProviderException(ProviderFailure.TRUST_CENTER_ERROR, where + ": order " + order.id()
                    + " is still pending, it has no chain yet — poll it until it is issued");
        }
        GetCert getCert = GetCert.getInstance(decode(order, ISSUED_PREFIX));
        String what = "certificate request for serial " + getCert.getSerialNumber().toString(16);
        CmcMessages.Response response = exchange(what, control(CMCObjectIdentifiers.id_cmc_getCert, getCert));
        requireSuccess(what, response);
        X509Certificate leaf = response.certificates().stream()
                .filter(c -> c.getSerialNumber().equals(getCert.getSerialNumber())).findFirst()
                .orElseThrow(() -> malformed(what, "a success without the requested certificate"));
        return chainFrom(leaf, response.certificates());
    }

    @Override
    public void revoke(X509Certificate certificate, RevocationReason reason) throws CertificateProviderException {
        String what = "revocation of certificate " + certificate.getSerialNumber().toString(16);
        RevokeRequest revoke = new RevokeRequest(X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded()),
                new ASN1Integer(certificate.getSerialNumber()), CRLReason.lookup(reason.crlReason()), null, null, null);
        requireSuccess(what, exchange(what, control(CMCObjectIdentifiers.id_cmc_revokeRequest, revoke)));
        LOG.info("{}: revoked certificate {} ({})", where, certificate.getSerialNumber().toString(16), reason);
    }

    private EnrollmentResult outcome(String what, CmcMessages.Response response, PublicKey requestedKey,
            Instant submittedAt, OrderReference pendingOrder) throws CertificateProviderException {
        switch (response.status()) {
            case CmcMessages.SUCCESS -> {
                X509Certificate leaf = response.certificates().stream()
                        .filter(c -> requestedKey == null ? c.getBasicConstraints() == -1 : c.getPublicKey().equals(requestedKey))
                        .findFirst()
                        .orElseThrow(() -> malformed(what, requestedKey == null ? "a success without an end-entity certificate"
                                : "a success without a certificate for the CSR's key"));
                GetCert getCert = new GetCert(new GeneralName(X500Name.getInstance(
                        leaf.getIssuerX500Principal().getEncoded())), leaf.getSerialNumber());
                OrderReference order = new OrderReference(ISSUED_PREFIX + encode(getCert), submittedAt);
                return new EnrollmentResult.Issued(order, chainFrom(leaf, response.certificates()));
            }
            case CmcMessages.PENDING -> {
                if (response.pendToken() == null) {
                    throw malformed(what, "a pending status without pendInfo");
                }
                OrderReference order = pendingOrder != null ? pendingOrder
                        : new OrderReference(PENDING_PREFIX + Base64.getUrlEncoder().withoutPadding()
                                .encodeToString(response.pendToken()), submittedAt);
                return new EnrollmentResult.Pending(order, response.statusString().isEmpty() ? "pending"
                        : "pending: " + response.statusString());
            }
            default -> {
                requireSuccess(what, response);
                throw new IllegalStateException("unreachable");
            }
        }
    }

    private void requireSuccess(String what, CmcMessages.Response response) throws CertificateProviderException {
        if (response.status() == CmcMessages.SUCCESS) {
            return;
        }
        String failInfo = response.failInfo() == null ? "" : ", failInfo "
                + CmcMessages.FAIL_INFO.getOrDefault(response.failInfo(), String.valueOf(response.failInfo()));
        String text = response.statusString().isEmpty() ? "" : ": " + response.statusString();
        String status = switch (response.status()) {
            case CmcMessages.FAILED -> "failed";
            case CmcMessages.PENDING -> "pending";
            default -> "status " + response.status();
        };
        throw new CertificateProviderException(ProviderFailure.TRUST_CENTER_ERROR, where + ": " + what
                + " refused (CMC " + status + failInfo + text + ") — " + advice(response.failInfo()));
    }

    private String advice(Integer failInfo) {
        if (failInfo == null) {
            return "see the request in the SwissSign RA portal of account " + config.account();
        }
        return switch (failInfo) {
            case 1, 7, 13 -> "SwissSign did not accept the request's signer; check that the AutoRAO certificate "
                    + accessCertificate().getSubjectX500Principal() + " is the RA certificate of account " + config.account();
            case 0, 2, 5, 8, 9, 10 -> "product " + config.product() + " refused the request's content; check the"
                    + " product's key and name requirements with SwissSign";
            case 11, 12 -> "the trust center failed; retry later, and if it persists contact SwissSign support";
            default -> "see the request in the SwissSign RA portal of account " + config.account();
        };
    }

    private byte[] control(ASN1ObjectIdentifier type, org.bouncycastle.asn1.ASN1Encodable value)
            throws CertificateProviderException {
        try {
            return CmcMessages.controlRequest(type, value, accessKey, accessChain);
        } catch (IOException e) {
            throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, where + ": " + e.getMessage()
                    + " — check the AutoRAO key in " + config.accessKeyStore(), e);
        }
    }

    private CmcMessages.Response exchange(String what, byte[] body) throws CertificateProviderException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(config.requestTimeout())
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw TransportFailures.describe(where, e, config.connectTimeout(), config.requestTimeout(), tlsAdvice(), proxy,
                    () -> TransportFailures.proxyRefusesAuthentication(http, url, config.connectTimeout()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CertificateProviderException(ProviderFailure.TRUST_CENTER_ERROR, where + ": " + what
                    + " interrupted — the gateway is shutting down; the enrollment is retried on the next start", e);
        }
        if (response.statusCode() / 100 != 2) {
            if (proxy.isPresent() && TransportFailures.isProxyRefusal(response.statusCode(),
                    response.headers().firstValue("WWW-Authenticate").orElse(""))) {
                throw TransportFailures.proxyAuthentication(where + ": " + what, proxy.get(), null);
            }
            throw httpFailure(what, response.statusCode());
        }
        try {
            return CmcMessages.parse(response.body());
        } catch (CmcMessages.MalformedResponseException e) {
            throw new CertificateProviderException(ProviderFailure.TRUST_CENTER_ERROR, where + ": answered the " + what
                    + " with " + e.getMessage() + " — check the endpoint URL (a proxy or portal page instead of the"
                    + " CMC interface?); if it is right, report it to SwissSign support", e);
        }
    }

    /** The seed case: SwissSign refuses the TLS channel because the client certificate is absent or the wrong one. */
    private String tlsAdvice() {
        return "the server did not accept our client certificate " + accessCertificate().getSubjectX500Principal()
                + " issued by " + accessCertificate().getIssuerX500Principal() + " (AutoRAO certificate missing or not"
                + " trusted); import the MPKI access (AutoRAO) certificate SwissSign issued for account "
                + config.account() + " with its key, and remove any other (pseudo) AutoRAO certificate";
    }

    private CertificateProviderException httpFailure(String what, int code) {
        if (code == 407) {
            return TransportFailures.proxyAuthentication(where + ": " + what, proxy.orElse("a proxy between us and SwissSign"),
                    null);
        }
        String fix;
        if (code == 401 || code == 403) {
            fix = "SwissSign refused the AutoRAO certificate " + accessCertificate().getSubjectX500Principal()
                    + " for account " + config.account() + "; ask SwissSign to enable it for this account and product";
        } else if (code == 404) {
            fix = "check the endpoint URL, account " + config.account() + " and product " + config.product();
        } else if (code >= 500) {
            fix = "the trust center failed; retry later, and if it persists contact SwissSign support";
        } else {
            fix = "unexpected answer; check the endpoint URL " + config.endpoint();
        }
        return new CertificateProviderException(ProviderFailure.TRUST_CENTER_ERROR, where + ": " + what + " failed (HTTP "
                + code + ") — " + fix);
    }

    private CertificateProviderException malformed(String what, String got) {
        return new CertificateProviderException(ProviderFailure.TRUST_CENTER_ERROR, where + ": answered the " + what
                + " with " + got + " — report it to SwissSign support");
    }

    /** Leaf first, then whichever of the others issued the one before, up to a self-signed root. */
    private static CertificateChain chainFrom(X509Certificate leaf, List<X509Certificate> pool) {
        List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
        X509Certificate current = leaf;
        while (!current.getIssuerX500Principal().equals(current.getSubjectX500Principal()) && chain.size() < 10) {
            X509Certificate child = current;
            X509Certificate issuer = pool.stream()
                    .filter(c -> !chain.contains(c) && c.getSubjectX500Principal().equals(child.getIssuerX500Principal())
                            && signedBy(child, c))
                    .findFirst().orElse(null);
            if (issuer == null) {
                break;
            }
            chain.add(issuer);
            current = issuer;
        }
        return new CertificateChain(chain);
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String encode(GetCert getCert) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(getCert.getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("GetCert we built cannot be encoded", e);
        }
    }

    private byte[] decode(OrderReference order, String prefix) throws CertificateProviderException {
        if (order.id().startsWith(prefix)) {
            try {
                return Base64.getUrlDecoder().decode(order.id().substring(prefix.length()));
            } catch (IllegalArgumentException e) {
                // fall through to the message below
            }
        }
        throw new CertificateProviderException(ProviderFailure.INVALID_REQUEST, where + ": '" + order.id()
                + "' is not a SwissSign CMC order reference (pend:... or cert:...); it belongs to another provider");
    }
}
