package dev.sealgate.enrollment;

/**
 * Filter for the enrollment log; null fields do not filter.
 *
 * @param limit at most this many (1 to 1000), newest first
 */
public record EnrollmentQuery(String address, RequestStatus status, RequestType type, int limit) {

    public EnrollmentQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("enrollment query limit must be between 1 and 1000, was " + limit);
        }
    }
}
