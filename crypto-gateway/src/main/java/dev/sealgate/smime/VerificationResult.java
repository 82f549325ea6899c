package dev.sealgate.smime;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of verifying one signed layer.
 *
 * @param status              the first failure in order of precedence, or VALID
 * @param failed              every check that did not hold (empty when VALID)
 * @param reason              one line: what held or what did not, and what to do
 * @param signerCertificate   the certificate that made the signature, when the message carried it
 * @param signerAddress       the header From address when it matched the certificate, else the certificate's first address
 * @param signingTime         the signing-time attribute, when present (claimed by the signer, not proved)
 * @param capabilities        the S/MIME capabilities the signer advertised
 * @param encryptionCertificate the certificate the signer asked to be encrypted to (RFC 8551 encryption key
 *                            preference), when the message carried it
 * @param certificates        every certificate the message carried (for harvesting)
 */
public record VerificationResult(VerificationStatus status, Set<VerificationCheck> failed, String reason,
                                 Optional<X509Certificate> signerCertificate, Optional<String> signerAddress,
                                 Optional<Instant> signingTime, SmimeCapabilities capabilities,
                                 Optional<X509Certificate> encryptionCertificate, List<X509Certificate> certificates) {

    public VerificationResult {
        failed = Set.copyOf(failed);
        certificates = List.copyOf(certificates);
    }

    /** True when every check held. */
    public boolean valid() {
        return status == VerificationStatus.VALID;
    }
}
