package dev.sealgate.enrollment;

import dev.sealgate.certprovider.CertificateChain;
import dev.sealgate.certprovider.CertificateProvider;
import dev.sealgate.certprovider.CertificateProviderException;
import dev.sealgate.certprovider.EnrollmentRequest;
import dev.sealgate.certprovider.EnrollmentResult;
import dev.sealgate.certprovider.OrderReference;
import dev.sealgate.certprovider.RevocationReason;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real provider (the local CA) whose enroll call waits at a gate the test opens, so that a test
 * can hold one enrollment in flight while others start. Counts the requests that reached it.
 */
final class GatedProvider implements CertificateProvider {

    private static final Duration SAFETY_TIMEOUT = Duration.ofSeconds(60);

    private final CertificateProvider issuer;
    private final CountDownLatch gate;
    private final CountDownLatch entered = new CountDownLatch(1);
    final AtomicInteger requests = new AtomicInteger();

    /** @param gate opens when counted down to zero */
    GatedProvider(CertificateProvider issuer, CountDownLatch gate) {
        this.issuer = issuer;
        this.gate = gate;
    }

    /** Waits until the first request reached the provider. */
    void awaitFirstRequest() throws InterruptedException {
        if (!entered.await(SAFETY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("no enrollment reached the provider");
        }
    }

    @Override
    public String name() {
        return "gated " + issuer.name();
    }

    @Override
    public EnrollmentResult enroll(EnrollmentRequest request) throws CertificateProviderException {
        requests.incrementAndGet();
        entered.countDown();
        try {
            if (!gate.await(SAFETY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the gate never opened: more requests reached the provider than the test let through");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return issuer.enroll(request);
    }

    @Override
    public EnrollmentResult poll(OrderReference order) throws CertificateProviderException {
        return issuer.poll(order);
    }

    @Override
    public CertificateChain fetchChain(OrderReference order) throws CertificateProviderException {
        return issuer.fetchChain(order);
    }

    @Override
    public void revoke(X509Certificate certificate, RevocationReason reason) throws CertificateProviderException {
        issuer.revoke(certificate, reason);
    }
}
