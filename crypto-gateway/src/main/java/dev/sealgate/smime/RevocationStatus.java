package dev.sealgate.smime;

import java.time.Instant;
import java.util.Objects;

/**
 * The revocation status of one certificate of a chain, as a {@link RevocationChecker} found it:
 * good, revoked (with the reason and time the CA gave), or unknown (with why it could not be
 * determined: no responder, responder down, stale or badly signed CRL, no answer in time).
 */
public sealed interface RevocationStatus {

    /** Where the answer came from (an OCSP responder URL, a CRL URL, an imported CRL), or why there is none. */
    String source();

    /** A CA said the certificate is not revoked, in an answer that is current and signed by the issuer or its responder. */
    record Good(String source) implements RevocationStatus {
        public Good {
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * A CA said the certificate is revoked.
     *
     * @param reason the CRL reason code name (RFC 5280 5.3.1: keyCompromise, cACompromise, ...), or
     *               "unspecified" when the CA gave none
     * @param time   when the CA says it was revoked
     */
    record Revoked(String reason, Instant time, String source) implements RevocationStatus {
        public Revoked {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(source, "source");
        }
    }

    /** No believable answer: {@code why} says what was tried and what failed, in one line. */
    record Unknown(String why) implements RevocationStatus {
        public Unknown {
            Objects.requireNonNull(why, "why");
        }

        @Override
        public String source() {
            return why;
        }
    }
}
