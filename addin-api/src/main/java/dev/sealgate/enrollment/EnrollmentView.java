package dev.sealgate.enrollment;

import java.time.Instant;

/** An enrollment request for the admin API, in the words of the enrollment event. */
public record EnrollmentView(
        String id,
        Instant created,
        String mailAddress,
        String requestType,
        String requestStatus,
        String failureStatus,
        String errorText,
        String provider,
        String subjectName,
        String orderId,
        Long certificateId,
        int attempt,
        Instant retryAt) {

    public static EnrollmentView of(EnrollmentRecord r) {
        return new EnrollmentView(r.id(), r.created(), r.address(), r.requestType().label(), r.requestStatus().label(),
                r.failureStatus() == null ? null : r.failureStatus().label(), r.errorText(), r.provider(), r.subject(),
                r.orderId(), r.certificateId(), r.attempt(), r.retryAt());
    }
}
