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
 * @param revocation          the revocation status of each certificate of the validated path, signer
 *                            first (empty when no revocation checker was given or no path was found)
 */
public record VerificationResult(VerificationStatus status, Set<VerificationCheck> failed, String reason,
                                 Optional<X509Certificate> signerCertificate, Optional<String> signerAddress,
                                 Optional<Instant> signingTime, SmimeCapabilities capabilities,
                                 Optional<X509Certificate> encryptionCertificate, List<X509Certificate> certificates,
                                 List<CertificateRevocation> revocation) {

    public VerificationResult {
        failed = Set.copyOf(failed);
        certificates = List.copyOf(certificates);
        revocation = List.copyOf(revocation);
    }

    /** A result without revocation answers. */
    public VerificationResult(VerificationStatus status, Set<VerificationCheck> failed, String reason,
                              Optional<X509Certificate> signerCertificate, Optional<String> signerAddress,
                              Optional<Instant> signingTime, SmimeCapabilities capabilities,
                              Optional<X509Certificate> encryptionCertificate, List<X509Certificate> certificates) {
        this(status, failed, reason, signerCertificate, signerAddress, signingTime, capabilities, encryptionCertificate,
                certificates, List.of());
    }

    /** The same result with another status and reason (a policy's judgement over the engine's). */
    public VerificationResult withStatus(VerificationStatus newStatus, String newReason) {
        return new VerificationResult(newStatus, failed, newReason, signerCertificate, signerAddress, signingTime,
                capabilities, encryptionCertificate, certificates, revocation);
    }

    /** True when every check held. */
    public boolean valid() {
        return status == VerificationStatus.VALID;
    }
}
