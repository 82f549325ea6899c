package dev.sealgate.certprovider;

import java.time.Instant;
import java.util.Objects;

/**
 * How a provider finds an enrollment again: the provider's own order id and when it was submitted.
 * The caller persists both, so that polling survives a restart and can give up after the deadline.
 */
public record OrderReference(String id, Instant submittedAt) {
    public OrderReference {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(submittedAt, "submittedAt");
        if (id.isBlank()) {
            throw new IllegalArgumentException("order id must not be blank");
        }
    }
}
