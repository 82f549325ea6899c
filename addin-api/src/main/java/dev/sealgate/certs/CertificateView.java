package dev.sealgate.certs;

import java.time.Instant;
import java.util.List;

/** A stored certificate's metadata for the admin API; never key material. */
public record CertificateView(
        long id,
        CertificateKind kind,
        TrustStatus trustStatus,
        String subject,
        String issuer,
        String serial,
        List<String> subjectAlternativeNames,
        List<String> addresses,
        Instant notBefore,
        Instant notAfter,
        String fingerprint,
        String keyAlgorithm,
        boolean hasPrivateKey,
        boolean canSign,
        boolean canEncrypt,
        Instant revokedAt,
        String domainCertificateFor,
        List<String> capabilities,
        Instant capabilitiesAt) {

    static CertificateView of(StoredCertificate c) {
        return new CertificateView(c.id(), c.kind(), c.trustStatus(), c.subject(), c.issuer(), c.serial(),
                Certificates.subjectAlternativeNames(c.certificate()), c.addresses(), c.notBefore(), c.notAfter(),
                c.fingerprint(), c.keyAlgorithm(), c.hasPrivateKey(), c.canSign(), c.canEncrypt(), c.revokedAt(),
                c.domainCertificateFor(), c.capabilities().algorithms(), c.capabilitiesAt());
    }
}
