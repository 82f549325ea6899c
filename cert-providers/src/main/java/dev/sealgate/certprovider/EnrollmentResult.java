package dev.sealgate.certprovider;

import java.util.Objects;

/** What an enrollment or a poll gave: a certificate now, or an order still being worked on. */
public sealed interface EnrollmentResult {

    OrderReference order();

    record Issued(OrderReference order, CertificateChain chain) implements EnrollmentResult {
        public Issued {
            Objects.requireNonNull(order, "order");
            Objects.requireNonNull(chain, "chain");
        }
    }

    /** {@code status} is the provider's own word for the state, for the operator (e.g. PENDING_AUTH). */
    record Pending(OrderReference order, String status) implements EnrollmentResult {
        public Pending {
            Objects.requireNonNull(order, "order");
            Objects.requireNonNull(status, "status");
        }
    }
}
