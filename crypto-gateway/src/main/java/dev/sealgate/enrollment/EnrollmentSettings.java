package dev.sealgate.enrollment;

import java.time.Duration;
import java.util.Objects;

/**
 * How the enrollment service works.
 *
 * @param keyAlgorithm   RSA (3072 bits) or EC (P-256) for the key pairs the gateway generates
 * @param renewBefore    renew an own certificate this long before it expires
 * @param retryInitial   first wait after a trust center error; doubles per attempt
 * @param retryMax       longest wait between attempts
 * @param maxAttempts    give up (and say so in an event) after this many attempts
 * @param holdTimeout    how long the queue holds a message waiting for an enrollment
 * @param claimDuration  how long one node owns a request it works on
 */
public record EnrollmentSettings(KeyAlgorithm keyAlgorithm, Duration renewBefore, Duration retryInitial,
                                 Duration retryMax, int maxAttempts, Duration holdTimeout, Duration claimDuration) {

    public enum KeyAlgorithm {
        RSA,
        EC
    }

    public static final EnrollmentSettings DEFAULTS = new EnrollmentSettings(KeyAlgorithm.RSA, Duration.ofDays(14),
            Duration.ofMinutes(5), Duration.ofHours(6), 10, Duration.ofHours(24), Duration.ofMinutes(5));

    public EnrollmentSettings {
        Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("sealgate.enrollment.max-attempts must be at least 1, was " + maxAttempts);
        }
        if (retryInitial.isNegative() || retryInitial.isZero() || retryMax.compareTo(retryInitial) < 0) {
            throw new IllegalArgumentException("sealgate.enrollment.retry-initial must be positive and not above retry-max");
        }
    }

    /** The wait before attempt {@code attempt + 1}: retryInitial doubled per earlier attempt, at most retryMax. */
    public Duration backoff(int attempt) {
        Duration wait = retryInitial;
        for (int i = 1; i < attempt && wait.compareTo(retryMax) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(retryMax) > 0 ? retryMax : wait;
    }
}
