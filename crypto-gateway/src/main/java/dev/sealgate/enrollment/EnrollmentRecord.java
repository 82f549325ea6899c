package dev.sealgate.enrollment;

import java.time.Instant;

/**
 * One request to a certificate provider, as the enrollment log keeps it: the fields of the
 * enrollment event admins know (id, created, mail address, request type, request status, failure
 * status, error text, subject name) and what the service needs to go on (order, retry).
 *
 * @param failureStatus null unless the request failed
 * @param errorText     the failure with its underlying causes; never a key, password or token
 * @param certificateId the issued or revoked certificate in the store, or null
 * @param retryAt       when a failed request is tried again, or null when it is not
 */
public record EnrollmentRecord(
        String id,
        Instant created,
        Instant updated,
        String address,
        RequestType requestType,
        RequestStatus requestStatus,
        FailureStatus failureStatus,
        String errorText,
        String provider,
        String subject,
        String orderId,
        Instant orderSubmittedAt,
        Long certificateId,
        int attempt,
        Instant retryAt) {
}
