package dev.sealgate.pipeline;

import dev.sealgate.smime.VerificationStatus;
import java.util.Arrays;

/**
 * The words of the inbound stamp (docs/adr/0090-inbound-verdicts.md). A signature layer's result is
 * one of the words up to {@link #UNCHECKED}; they are listed worst first, which is the order the
 * overall verdict picks the failing layer by. An encrypted layer's result is one of the last three.
 */
public enum VerdictWord {
    /** Signature, chain, revocation, algorithms, signing time and signer address all hold. */
    VALID("valid", "VALID"),
    /** The content was changed after signing, or the signature does not match the certificate. */
    INVALID("invalid", "BAD_SIGNATURE"),
    /** A certificate of the signer's chain is revoked. */
    REVOKED("revoked", "REVOKED"),
    /** A certificate of the signer's chain is outside its validity period. */
    EXPIRED("expired", "EXPIRED"),
    /** No path to a trust anchor, or the certificate is not for e-mail signing. */
    UNTRUSTED("untrusted", "UNTRUSTED_CHAIN"),
    /** Everything else holds, but whether a certificate of the chain is revoked could not be found out. */
    REVOCATION_UNKNOWN("revocation-unknown", "REVOCATION_UNKNOWN"),
    /** SHA-1, MD5, or an RSA/DSA key under 2048 bits, and the partner's policy allows no transition. */
    WEAK_ALGORITHM("weak-algorithm", null),
    /** The signing time the signer claims is further from the Date header than the tolerance. */
    SIGNING_TIME_MISMATCH("signing-time-mismatch", null),
    /** The signature holds, but its certificate does not belong to the header From address. */
    ADDRESS_MISMATCH("address-mismatch", "ADDRESS_MISMATCH"),
    /** The only signatures wrap the ciphertext: they do not cover the decrypted content delivered. */
    NOT_COVERING("not-covering", null),
    /** The recipient's policy turned verification off: the signature was not looked at. */
    UNCHECKED("unchecked", null),
    /** Encrypted layer: decrypted with a key the gateway holds. */
    DECRYPTED("decrypted", null),
    /** Encrypted layer: the gateway holds no key for any of its recipients; delivered encrypted. */
    NO_KEY("no-key", null),
    /** Encrypted layer: not opened by the layer rules (not the message itself, not directly inside its outermost signature). */
    NOT_OPENED("not-opened", null);

    private final String word;
    private final String status;

    VerdictWord(String word, String status) {
        this.word = word;
        this.status = status;
    }

    /** The word as it appears in the headers. */
    public String word() {
        return word;
    }

    /** The word for the engine's verification status. */
    public static VerdictWord of(VerificationStatus status) {
        return Arrays.stream(values()).filter(w -> status.name().equals(w.status)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no verdict word for verification status " + status));
    }

    @Override
    public String toString() {
        return word;
    }
}
