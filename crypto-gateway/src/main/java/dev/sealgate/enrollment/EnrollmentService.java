package dev.sealgate.enrollment;

import dev.sealgate.certprovider.CertificateChain;
import dev.sealgate.certprovider.CertificateProvider;
import dev.sealgate.certprovider.CertificateProviderException;
import dev.sealgate.certprovider.EnrollmentRequest;
import dev.sealgate.certprovider.EnrollmentResult;
import dev.sealgate.certprovider.OrderReference;
import dev.sealgate.certprovider.RevocationReason;
import dev.sealgate.certs.CertificateKind;
import dev.sealgate.certs.CertificateOrigin;
import dev.sealgate.certs.CertificateStore;
import dev.sealgate.certs.KeyPurpose;
import dev.sealgate.certs.MailAddress;
import dev.sealgate.certs.PrivateKeyCipher;
import dev.sealgate.certs.StoredCertificate;
import dev.sealgate.certs.TrustStatus;
import dev.sealgate.policy.PolicyResolver;
import dev.sealgate.tracking.EventLog;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets certificates for own users from their certificate provider without anyone touching a key:
 * generates the key pair, sends only the CSR, keeps the private key encrypted, stores what comes
 * back, polls pending orders, retries trust center errors with backoff, renews before expiry and
 * revokes on request. Every request to a provider is a row in the {@link EnrollmentLog}; every
 * failure is also an event.
 *
 * <p>All methods block (key generation, provider calls, JDBC); call them off event-loop threads.
 */
public class EnrollmentService {

    static final String EVENT_SOURCE = "enrollment";
    private static final Logger log = LoggerFactory.getLogger(EnrollmentService.class);
    private static final String IMPORTED = "none (imported certificate)";

    private final CertificateStore store;
    private final PrivateKeyCipher cipher;
    private final EnrollmentLog requests;
    private final Map<String, CertificateProvider> providers;
    private final ProviderSelector selector;
    private final PolicyResolver policies;
    private final EventLog events;
    private final EnrollmentSettings settings;
    private final Clock clock;
    private final List<CertificateIssuedListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param providers the configured providers by the names the selector uses (e.g. "local", "swisssign")
     */
    public EnrollmentService(CertificateStore store, PrivateKeyCipher cipher, EnrollmentLog requests,
                             Map<String, CertificateProvider> providers, ProviderSelector selector, PolicyResolver policies,
                             EventLog events, EnrollmentSettings settings, Clock clock) {
        this.store = store;
        this.cipher = cipher;
        this.requests = requests;
        this.providers = Map.copyOf(providers);
        this.selector = selector;
        this.policies = policies;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    public void addListener(CertificateIssuedListener listener) {
        listeners.add(listener);
    }

    public EnrollmentSettings settings() {
        return settings;
    }

    /** Whether a certificate for the address could be enrolled without an admin: auto-enroll allowed and a provider mapped. */
    public boolean canEnroll(String address) {
        return policies.resolve(address).autoEnroll() && provider(address).isPresent();
    }

    /**
     * Makes sure the address has a usable own certificate: returns the one in the store, or starts
     * (or finds under way) an enrollment with the provider configured for the address.
     */
    public EnrollmentOutcome ensureCertificate(String address) {
        String exact = MailAddress.parse(address).toString();
        // Providers issue for the lower-cased address (their EnrollmentRequest lower-cases it), so
        // that is what is enrolled, and what is looked for when the exact spelling has nothing.
        String normalized = exact.toLowerCase(Locale.ROOT);
        Optional<StoredCertificate> usable = store.findUsable(exact, KeyPurpose.SIGNING, false)
                .or(() -> store.findUsable(normalized, KeyPurpose.SIGNING, false));
        if (usable.isPresent()) {
            return new EnrollmentOutcome(EnrollmentOutcome.Status.AVAILABLE, usable.get(), null, "certificate in the store");
        }
        Optional<EnrollmentRecord> underWay = requests.inFlight(normalized, RequestType.CERTIFICATE_REQUEST, RequestType.RENEWAL);
        if (underWay.isPresent()) {
            return new EnrollmentOutcome(EnrollmentOutcome.Status.PENDING, null, underWay.get(),
                    "enrollment request " + underWay.get().id() + " is under way");
        }
        if (!policies.resolve(normalized).autoEnroll()) {
            return new EnrollmentOutcome(EnrollmentOutcome.Status.NOT_ENROLLABLE, null, null,
                    "auto-enrollment is off for " + normalized + "; import a certificate or turn autoEnroll on in its policy");
        }
        if (provider(normalized).isEmpty()) {
            return new EnrollmentOutcome(EnrollmentOutcome.Status.NOT_ENROLLABLE, null, null,
                    "no certificate provider for " + normalized + "; map its address or domain in sealgate.enrollment.providers");
        }
        return outcome(enroll(normalized, RequestType.CERTIFICATE_REQUEST));
    }

    /** Sends a request to the provider configured for the address now (admin action or renewal). */
    public EnrollmentRecord enroll(String address, RequestType type) {
        if (type == RequestType.REVOCATION) {
            throw new IllegalArgumentException("a revocation names a certificate: use revoke(certificateId, reason)");
        }
        String normalized = MailAddress.parse(address).toString().toLowerCase(Locale.ROOT);
        String providerName = provider(normalized).orElseThrow(() -> new IllegalArgumentException(
                "no certificate provider for " + normalized + "; map its address or domain in sealgate.enrollment.providers"));
        return attempt(normalized, type, providerName, 1);
    }

    /**
     * Sends one request for the address, unless a request for it is being sent right now (on this or
     * another node): then that request is the answer, so that two nodes never enroll one address at
     * the same moment.
     */
    private EnrollmentRecord attempt(String address, RequestType type, String providerName, int attempt) {
        for (int tries = 0; tries < 3; tries++) {
            Optional<EnrollmentRecord> started = requests.startExclusive(address, type, providerName,
                    "E=" + address + ", CN=" + address, attempt, clock.instant().plus(settings.claimDuration()));
            if (started.isPresent()) {
                try {
                    return send(started.get(), providerName);
                } finally {
                    requests.release(address, started.get().id());
                }
            }
            Optional<EnrollmentRecord> underWay = requests.holder(address);
            if (underWay.isPresent()) {
                log.info("Enrollment for {} is under way already (request {}); not sending another", address, underWay.get().id());
                return underWay.get();
            }
        }
        throw new IllegalStateException("enrollment for " + address + ": the address was held and released three times in a row"
                + " while this node tried to enroll it; try again");
    }

    private EnrollmentRecord send(EnrollmentRecord record, String providerName) {
        String address = record.address();
        CertificateProvider provider = providers.get(providerName);
        if (provider == null) {
            return fail(record, FailureStatus.INVALID_REQUEST, "certificate provider '" + providerName
                    + "' is not configured; configure it or change sealgate.enrollment.providers", null);
        }
        KeyPair keys;
        PKCS10CertificationRequest csr;
        EnrollmentRequest request;
        try {
            keys = KeyPairFactory.generate(settings.keyAlgorithm());
            csr = KeyPairFactory.csr(keys, address);
            request = new EnrollmentRequest(address, csr);
        } catch (RuntimeException e) {
            return fail(record, FailureStatus.INVALID_REQUEST, "could not prepare the request for " + address, e);
        }
        EnrollmentResult result;
        try {
            result = provider.enroll(request);
        } catch (CertificateProviderException e) {
            return fail(record, FailureStatus.of(e.failure()), "Unexpected error from " + provider.name(), e);
        } catch (RuntimeException e) {
            return fail(record, FailureStatus.TRUST_CENTER_ERROR, "Unexpected error from " + provider.name(), e);
        }
        return handle(record, provider, result, keys.getPrivate());
    }

    private EnrollmentRecord handle(EnrollmentRecord record, CertificateProvider provider, EnrollmentResult result,
                                    PrivateKey key) {
        if (result instanceof EnrollmentResult.Issued issued) {
            return complete(record, issued.chain(), key);
        }
        EnrollmentResult.Pending pending = (EnrollmentResult.Pending) result;
        if (record.orderId() == null) {
            requests.orderPlaced(record.id(), pending.order().id(), pending.order().submittedAt(),
                    cipher.seal(key, binding(record.id())), key.getAlgorithm());
            log.info("Enrollment request {} for {} is pending at {} (order {}, status {})", record.id(), record.address(),
                    provider.name(), pending.order().id(), pending.status());
        } else {
            requests.touched(record.id());
        }
        return requests.get(record.id()).orElseThrow();
    }

    private EnrollmentRecord complete(EnrollmentRecord record, CertificateChain chain, PrivateKey key) {
        X509Certificate leaf = chain.leaf();
        StoredCertificate stored;
        try {
            CertificateOrigin origin = CertificateOrigin.enrolled(record.provider());
            stored = store.addOwn(leaf, key, origin);
            for (X509Certificate ca : chain.certificates().subList(1, chain.certificates().size())) {
                store.add(ca, CertificateKind.INTERMEDIATE, TrustStatus.TRUSTED, origin);
            }
        } catch (RuntimeException e) {
            return fail(record, FailureStatus.TRUST_CENTER_ERROR, "the provider returned a certificate the store refused", e);
        }
        requests.succeeded(record.id(), stored.id(), stored.subject());
        events.info(EVENT_SOURCE, record.requestType().label() + " for " + record.address() + " succeeded: certificate "
                + stored.serial() + " from " + record.provider() + ", valid until " + stored.notAfter(), "request " + record.id());
        for (CertificateIssuedListener listener : listeners) {
            try {
                listener.certificateIssued(record.address(), stored);
            } catch (RuntimeException e) {
                log.warn("Listener {} failed for the certificate of {}: {}", listener, record.address(), e.toString());
            }
        }
        return requests.get(record.id()).orElseThrow();
    }

    private EnrollmentRecord fail(EnrollmentRecord record, FailureStatus failure, String message, Throwable cause) {
        String errorText = errorText(message, cause);
        boolean retry = failure == FailureStatus.TRUST_CENTER_ERROR && record.requestType() != RequestType.REVOCATION
                && record.attempt() < settings.maxAttempts();
        Instant retryAt = retry ? clock.instant().plus(settings.backoff(record.attempt())) : null;
        requests.failed(record.id(), failure, errorText, retryAt);
        String next = retry ? "; retry " + (record.attempt() + 1) + " of " + settings.maxAttempts() + " at " + retryAt
                : failure == FailureStatus.TRUST_CENTER_ERROR && record.requestType() != RequestType.REVOCATION
                        ? "; gave up after " + record.attempt() + " attempts, enroll again from the admin API once the cause is fixed"
                        : "";
        events.error(EVENT_SOURCE, record.requestType().label() + " for " + record.address() + " failed: "
                        + failure.label() + next,
                "ID: " + record.id() + "\nMail address: " + record.address() + "\nRequest type: " + record.requestType().label()
                        + "\nRequest status: Failed\nFailure status: " + failure.label() + "\nProvider: " + record.provider()
                        + "\nError text: " + errorText);
        return requests.get(record.id()).orElseThrow();
    }

    /** The failure with its causes, one "Message / Error type" pair each, as admins know it from the event log. */
    static String errorText(String message, Throwable cause) {
        StringBuilder text = new StringBuilder(message);
        Throwable current = cause;
        for (int depth = 0; current != null && depth < 6; depth++, current = current.getCause()) {
            text.append("\nMessage: ").append(current.getMessage() == null ? "(none)" : current.getMessage())
                    .append("\nError type: ").append(current.getClass().getName());
            if (current.getCause() == current) {
                break;
            }
        }
        return text.toString();
    }

    /** Asks the providers about pending orders; stores what was issued. Returns how many were looked at. */
    public int pollPending() {
        int polled = 0;
        for (EnrollmentRecord record : requests.pendingOrders()) {
            if (!requests.claim(record.id(), clock.instant().plus(settings.claimDuration()))) {
                continue;
            }
            polled++;
            CertificateProvider provider = providers.get(record.provider());
            if (provider == null) {
                fail(record, FailureStatus.INVALID_REQUEST, "certificate provider '" + record.provider()
                        + "' of this pending order is no longer configured", null);
                continue;
            }
            try {
                EnrollmentResult result = provider.poll(new OrderReference(record.orderId(), record.orderSubmittedAt()));
                if (result instanceof EnrollmentResult.Issued) {
                    Map.Entry<byte[], String> sealed = requests.pendingKey(record.id()).orElseThrow(() ->
                            new IllegalStateException("the key of pending request " + record.id() + " is gone"));
                    PrivateKey key = cipher.open(sealed.getKey(), binding(record.id()), sealed.getValue());
                    handle(record, provider, result, key);
                } else {
                    requests.touched(record.id());
                }
            } catch (CertificateProviderException e) {
                fail(record, FailureStatus.of(e.failure()), "Unexpected error from " + provider.name(), e);
            } catch (RuntimeException e) {
                fail(record, FailureStatus.TRUST_CENTER_ERROR, "Unexpected error from " + provider.name(), e);
            }
        }
        return polled;
    }

    /** Sends the next attempt for failed requests whose retry is due. Returns how many were retried. */
    public int retryDue() {
        int retried = 0;
        for (EnrollmentRecord record : requests.retriesDue()) {
            if (!requests.claim(record.id(), clock.instant().plus(settings.claimDuration()))) {
                continue;
            }
            requests.retryTaken(record.id());
            if (store.findUsable(record.address(), KeyPurpose.SIGNING, false)
                    .filter(c -> record.requestType() == RequestType.CERTIFICATE_REQUEST)
                    .isPresent()) {
                continue;
            }
            String providerName = provider(record.address()).orElse(record.provider());
            attempt(record.address(), record.requestType(), providerName, record.attempt() + 1);
            retried++;
        }
        return retried;
    }

    /**
     * Starts a renewal for own certificates that expire within {@code renewBefore}, unless a newer
     * certificate lasts beyond that or a request is under way. Returns how many renewals started.
     */
    public int renewExpiring() {
        Instant threshold = clock.instant().plus(settings.renewBefore());
        int started = 0;
        for (StoredCertificate expiring : store.ownExpiringBefore(threshold)) {
            if (expiring.addresses().isEmpty()) {
                continue;
            }
            String address = expiring.addresses().get(0);
            boolean renewed = store.findUsable(address, KeyPurpose.SIGNING, false)
                    .filter(c -> c.notAfter().isAfter(threshold)).isPresent();
            if (renewed || requests.inFlight(address, RequestType.CERTIFICATE_REQUEST, RequestType.RENEWAL).isPresent()
                    || provider(address).isEmpty()) {
                continue;
            }
            attempt(address, RequestType.RENEWAL, provider(address).orElseThrow(), 1);
            started++;
        }
        return started;
    }

    /**
     * Revokes a certificate at the provider that issued it and marks it revoked in the store; an
     * imported certificate (no provider issued it) is only marked revoked. Recorded in the log.
     */
    public EnrollmentRecord revoke(long certificateId, RevocationReason reason) {
        StoredCertificate stored = store.get(certificateId)
                .orElseThrow(() -> new IllegalArgumentException("no certificate with id " + certificateId));
        if (stored.kind() != CertificateKind.OWN) {
            throw new IllegalArgumentException("certificate " + certificateId + " is a " + stored.kind()
                    + " certificate; only own certificates are revoked here (delete a partner certificate instead)");
        }
        if (stored.revokedAt() != null) {
            throw new IllegalArgumentException("certificate " + certificateId + " was already revoked at " + stored.revokedAt());
        }
        String address = stored.addresses().isEmpty() ? stored.subject() : stored.addresses().get(0);
        Optional<String> providerName = requests.providerOf(certificateId);
        EnrollmentRecord record = requests.start(address, RequestType.REVOCATION, providerName.orElse(IMPORTED),
                stored.subject(), 1);
        if (providerName.isPresent()) {
            CertificateProvider provider = providers.get(providerName.get());
            if (provider == null) {
                return fail(record, FailureStatus.INVALID_REQUEST, "certificate provider '" + providerName.get()
                        + "' that issued this certificate is no longer configured", null);
            }
            try {
                provider.revoke(stored.certificate(), reason);
            } catch (CertificateProviderException e) {
                return fail(record, FailureStatus.of(e.failure()), "Unexpected error from " + provider.name(), e);
            } catch (RuntimeException e) {
                return fail(record, FailureStatus.TRUST_CENTER_ERROR, "Unexpected error from " + provider.name(), e);
            }
        }
        store.markRevoked(certificateId, clock.instant());
        requests.succeeded(record.id(), certificateId, null);
        events.warning(EVENT_SOURCE, "Certificate " + stored.serial() + " of " + address + " revoked (" + reason + ")",
                "request " + record.id() + ", provider " + record.provider());
        return requests.get(record.id()).orElseThrow();
    }

    private Optional<String> provider(String address) {
        return selector.providerFor(address);
    }

    private EnrollmentOutcome outcome(EnrollmentRecord record) {
        return switch (record.requestStatus()) {
            case SUCCEEDED -> new EnrollmentOutcome(EnrollmentOutcome.Status.ISSUED,
                    store.get(record.certificateId()).orElseThrow(), record, "issued by " + record.provider());
            case PENDING -> new EnrollmentOutcome(EnrollmentOutcome.Status.PENDING, null, record,
                    "pending at " + record.provider());
            case FAILED -> record.retryAt() != null
                    ? new EnrollmentOutcome(EnrollmentOutcome.Status.PENDING, null, record,
                            "failed with " + record.failureStatus().label() + ", retry at " + record.retryAt())
                    : new EnrollmentOutcome(EnrollmentOutcome.Status.FAILED, null, record,
                            "failed with " + record.failureStatus().label());
        };
    }

    private static String binding(String requestId) {
        return "enrollment/" + requestId;
    }
}
