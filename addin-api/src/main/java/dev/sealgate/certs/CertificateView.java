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
        Instant capabilitiesAt,
        List<String> warnings) {

    static CertificateView of(StoredCertificate c) {
        return new CertificateView(c.id(), c.kind(), c.trustStatus(), c.subject(), c.issuer(), c.serial(),
                Certificates.subjectAlternativeNames(c.certificate()), c.addresses(), c.notBefore(), c.notAfter(),
                c.fingerprint(), c.keyAlgorithm(), c.hasPrivateKey(), c.canSign(), c.canEncrypt(), c.revokedAt(),
                c.domainCertificateFor(), c.capabilities().algorithms(), c.capabilitiesAt(), usability(c, null));
    }

    /** The view of a certificate just imported as {@code requested}, with what makes it unfit for that. */
    static CertificateView imported(StoredCertificate c, CertificateKind requested) {
        CertificateView view = of(c);
        return new CertificateView(view.id, view.kind, view.trustStatus, view.subject, view.issuer, view.serial,
                view.subjectAlternativeNames, view.addresses, view.notBefore, view.notAfter, view.fingerprint, view.keyAlgorithm,
                view.hasPrivateKey, view.canSign, view.canEncrypt, view.revokedAt, view.domainCertificateFor, view.capabilities,
                view.capabilitiesAt, usability(c, requested));
    }

    /**
     * Why a certificate cannot do what a certificate of its kind is for: a partner or own certificate
     * must name an address and be able to encrypt or sign; a certificate imported as a partner's that
     * turned out to be a CA (what {@code openssl req -x509} makes by default) encrypts to nobody.
     */
    static List<String> usability(StoredCertificate c, CertificateKind requested) {
        List<String> warnings = new java.util.ArrayList<>();
        // a certificate with its private key becomes OWN by itself: that is no CA, and no reason to warn
        if (requested == CertificateKind.PARTNER && (c.kind() == CertificateKind.INTERMEDIATE || c.kind() == CertificateKind.ANCHOR)) {
            warnings.add("imported as a partner's certificate, but it is a CA certificate (basic constraints CA:TRUE): stored as "
                    + c.kind().name().toLowerCase(java.util.Locale.ROOT) + ", it cannot be used to encrypt to anyone; import the"
                    + " partner's own (end-entity) certificate, or import this one as ANCHOR if it is the partner's root");
        }
        if ((c.kind() == CertificateKind.PARTNER || c.kind() == CertificateKind.OWN) && c.addresses().isEmpty()) {
            warnings.add("names no e-mail address (subject E= or subjectAltName rfc822Name): no recipient will ever be matched to it");
        }
        if (c.kind() == CertificateKind.PARTNER && !c.canEncrypt()) {
            warnings.add("its key usage does not allow encryption: mail cannot be encrypted to it");
        }
        if (c.notAfter() != null && c.notAfter().isBefore(Instant.now())) {
            warnings.add("expired on " + c.notAfter());
        }
        return List.copyOf(warnings);
    }
}
