package dev.sealgate.enrollment;

import dev.sealgate.certs.StoredCertificate;

/**
 * What {@link EnrollmentService#ensureCertificate} found or did.
 *
 * @param certificate the usable certificate (AVAILABLE, ISSUED), else null
 * @param request     the enrollment request behind it (ISSUED, PENDING, FAILED), else null
 */
public record EnrollmentOutcome(Status status, StoredCertificate certificate, EnrollmentRecord request, String reason) {

    public enum Status {
        /** The store already had a usable own certificate with its key. */
        AVAILABLE,
        /** Enrolled just now; the certificate is in the store. */
        ISSUED,
        /** The provider is working on it (or a retry is scheduled); a listener hears when it arrives. */
        PENDING,
        /** The request failed and will not be retried; see the request's error text. */
        FAILED,
        /** No provider is configured for the address, or the policy does not allow auto-enrollment. */
        NOT_ENROLLABLE
    }
}
