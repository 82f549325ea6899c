package dev.sealgate.enrollment;

import dev.sealgate.certprovider.ProviderFailure;

/** Whose fault a failed request is. */
public enum FailureStatus {
    /** The provider or the connection to it failed; retried with backoff. */
    TRUST_CENTER_ERROR("TrustCenterError"),
    /** Our own request or setup was wrong; not retried until an admin fixes it. */
    INVALID_REQUEST("InvalidRequest");

    private final String label;

    FailureStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    static FailureStatus of(ProviderFailure failure) {
        return failure == ProviderFailure.TRUST_CENTER_ERROR ? TRUST_CENTER_ERROR : INVALID_REQUEST;
    }
}
