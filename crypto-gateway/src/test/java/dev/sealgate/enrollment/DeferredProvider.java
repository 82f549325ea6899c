package dev.sealgate.enrollment;

import dev.sealgate.certprovider.CertificateChain;
import dev.sealgate.certprovider.CertificateProvider;
import dev.sealgate.certprovider.CertificateProviderException;
import dev.sealgate.certprovider.EnrollmentRequest;
import dev.sealgate.certprovider.EnrollmentResult;
import dev.sealgate.certprovider.OrderReference;
import dev.sealgate.certprovider.RevocationReason;
import java.security.cert.X509Certificate;

/**
 * A real provider (the local CA) that answers like a trust center with manual approval: the
 * first answer is "pending", the certificate comes with a later poll once approved.
 */
final class DeferredProvider implements CertificateProvider {

    private final CertificateProvider issuer;
    private volatile boolean approved;

    DeferredProvider(CertificateProvider issuer) {
        this.issuer = issuer;
    }

    void approve() {
        approved = true;
    }

    @Override
    public String name() {
        return "deferred " + issuer.name();
    }

    @Override
    public EnrollmentResult enroll(EnrollmentRequest request) throws CertificateProviderException {
        EnrollmentResult issued = issuer.enroll(request);
        return new EnrollmentResult.Pending(issued.order(), "PENDING_APPROVAL");
    }

    @Override
    public EnrollmentResult poll(OrderReference order) throws CertificateProviderException {
        return approved ? issuer.poll(order) : new EnrollmentResult.Pending(order, "PENDING_APPROVAL");
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
