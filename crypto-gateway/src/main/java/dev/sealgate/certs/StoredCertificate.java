package dev.sealgate.certs;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A certificate as the store holds it, with the facts lookups decide on. Holds no private key;
 * {@link #hasPrivateKey()} says whether the store has one for it.
 *
 * @param addresses            mail addresses, SAN first, then the subject's emailAddress
 * @param domainCertificateFor the domain this certificate stands in for when an address has none, or null
 * @param capabilities         what the holder last advertised (empty when never seen in a signature)
 * @param origin               where it came from (enrolled, harvested, imported, built in)
 */
public record StoredCertificate(
        long id,
        CertificateKind kind,
        TrustStatus trustStatus,
        String fingerprint,
        String subject,
        String issuer,
        String serial,
        String subjectKeyId,
        Instant notBefore,
        Instant notAfter,
        boolean canSign,
        boolean canEncrypt,
        String keyAlgorithm,
        Instant revokedAt,
        String domainCertificateFor,
        boolean hasPrivateKey,
        SmimeCapabilities capabilities,
        Instant capabilitiesAt,
        List<String> addresses,
        Instant createdAt,
        X509Certificate certificate,
        CertificateOrigin origin) {

    public StoredCertificate {
        addresses = List.copyOf(addresses);
    }

    public boolean isValidAt(Instant instant) {
        return !instant.isBefore(notBefore) && instant.isBefore(notAfter);
    }

    public boolean isRevokedAt(Instant instant) {
        return revokedAt != null && !revokedAt.isAfter(instant);
    }

    /** Valid now, not revoked, key usage fits, and for signing the private key is there. */
    public boolean isUsableFor(KeyPurpose purpose, Instant now) {
        if (!isValidAt(now) || isRevokedAt(now) || (kind != CertificateKind.OWN && kind != CertificateKind.PARTNER)) {
            return false;
        }
        return switch (purpose) {
            case SIGNING -> canSign && hasPrivateKey;
            case ENCRYPTION -> canEncrypt;
        };
    }

    @Override
    public String toString() {
        return "StoredCertificate[id=" + id + ", kind=" + kind + ", subject=" + subject + ", serial=" + serial
                + ", fingerprint=" + fingerprint + ", hasPrivateKey=" + hasPrivateKey + "]";
    }
}
