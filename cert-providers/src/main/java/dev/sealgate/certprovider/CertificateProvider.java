package dev.sealgate.certprovider;

import java.security.cert.X509Certificate;

/**
 * A certificate authority that issues S/MIME certificates for the gateway's users.
 *
 * <p>Every implementation checks the CSR before it leaves the gateway (proof of possession, the
 * address matches) and fails with {@link ProviderFailure#INVALID_REQUEST} if it does not. Calls
 * block; callers run them off event-loop threads.
 */
public interface CertificateProvider {

    /** A short human name for messages and events, e.g. "local CA" or "SwissSign RA API". */
    String name();

    /** Submits the CSR; the certificate comes back at once or as a pending order to poll. */
    EnrollmentResult enroll(EnrollmentRequest request) throws CertificateProviderException;

    /**
     * Asks once more about a pending order. Fails with {@link ProviderFailure#TRUST_CENTER_ERROR}
     * once the order was rejected, failed, or is still pending past the provider's order deadline.
     */
    EnrollmentResult poll(OrderReference order) throws CertificateProviderException;

    /** The chain of an issued order, issued certificate first. */
    CertificateChain fetchChain(OrderReference order) throws CertificateProviderException;

    /** Revokes a certificate this provider issued. */
    void revoke(X509Certificate certificate, RevocationReason reason) throws CertificateProviderException;
}
