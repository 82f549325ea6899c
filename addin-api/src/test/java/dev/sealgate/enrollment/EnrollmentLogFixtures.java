package dev.sealgate.enrollment;

/** Enrollment log rows in a state a test needs, written through the log's own (package-private) transitions. */
public final class EnrollmentLogFixtures {

    private EnrollmentLogFixtures() {
    }

    /** A certificate request for {@code address} that failed permanently with {@code error}. */
    public static EnrollmentRecord failedRequest(EnrollmentLog log, String address, String provider, String error) {
        EnrollmentRecord started = log.start(address, RequestType.CERTIFICATE_REQUEST, provider, "CN=" + address, 1);
        log.failed(started.id(), FailureStatus.TRUST_CENTER_ERROR, error, null);
        return log.get(started.id()).orElseThrow();
    }
}
