package dev.sealgate.certs;

import dev.sealgate.web.ApiWarning;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A stored certificate's metadata for the admin API; never key material.
 *
 * @param origin       how it came into the store: ENROLLED, HARVESTED, IMPORTED, BUILT_IN, or UNKNOWN (stored before this was recorded)
 * @param originDetail from whom or what: the provider, the message's sender and tracking id, who imported it
 * @param warnings     what makes it unfit for what a certificate of its kind is for, each with a stable code
 */
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
        CertificateOrigin.Source origin,
        String originDetail,
        List<ApiWarning> warnings) {

    /** Warning codes (ADR 0201): stable, the console words them in its language. */
    static final String CA_AS_PARTNER = "certificate.ca-as-partner";
    static final String NO_ADDRESS = "certificate.no-address";
    static final String CANNOT_ENCRYPT = "certificate.cannot-encrypt";
    static final String EXPIRED = "certificate.expired";

    static CertificateView of(StoredCertificate c) {
        return new CertificateView(c.id(), c.kind(), c.trustStatus(), c.subject(), c.issuer(), c.serial(),
                Certificates.subjectAlternativeNames(c.certificate()), c.addresses(), c.notBefore(), c.notAfter(),
                c.fingerprint(), c.keyAlgorithm(), c.hasPrivateKey(), c.canSign(), c.canEncrypt(), c.revokedAt(),
                c.domainCertificateFor(), c.capabilities().algorithms(), c.capabilitiesAt(), c.origin().source(), c.origin().detail(),
                usability(c, null));
    }

    /** The view of a certificate just imported as {@code requested}, with what makes it unfit for that. */
    static CertificateView imported(StoredCertificate c, CertificateKind requested) {
        CertificateView view = of(c);
        return new CertificateView(view.id, view.kind, view.trustStatus, view.subject, view.issuer, view.serial,
                view.subjectAlternativeNames, view.addresses, view.notBefore, view.notAfter, view.fingerprint, view.keyAlgorithm,
                view.hasPrivateKey, view.canSign, view.canEncrypt, view.revokedAt, view.domainCertificateFor, view.capabilities,
                view.capabilitiesAt, view.origin, view.originDetail, usability(c, requested));
    }

    /**
     * Why a certificate cannot do what a certificate of its kind is for: a partner or own certificate
     * must name an address and be able to encrypt or sign; a certificate imported as a partner's that
     * turned out to be a CA (what {@code openssl req -x509} makes by default) encrypts to nobody.
     */
    static List<ApiWarning> usability(StoredCertificate c, CertificateKind requested) {
        List<ApiWarning> warnings = new java.util.ArrayList<>();
        // a certificate with its private key becomes OWN by itself: that is no CA, and no reason to warn
        if (requested == CertificateKind.PARTNER && (c.kind() == CertificateKind.INTERMEDIATE || c.kind() == CertificateKind.ANCHOR)) {
            String storedAs = c.kind().name().toLowerCase(Locale.ROOT);
            warnings.add(new ApiWarning(CA_AS_PARTNER, "imported as a partner's certificate, but it is a CA certificate (basic"
                    + " constraints CA:TRUE): stored as " + storedAs + ", it cannot be used to encrypt to anyone; import the"
                    + " partner's own (end-entity) certificate, or import this one as ANCHOR if it is the partner's root",
                    Map.of("storedAs", c.kind().name())));
        }
        if ((c.kind() == CertificateKind.PARTNER || c.kind() == CertificateKind.OWN) && c.addresses().isEmpty()) {
            warnings.add(new ApiWarning(NO_ADDRESS, "names no e-mail address (subject E= or subjectAltName rfc822Name): no"
                    + " recipient will ever be matched to it"));
        }
        if (c.kind() == CertificateKind.PARTNER && !c.canEncrypt()) {
            warnings.add(new ApiWarning(CANNOT_ENCRYPT, "its key usage does not allow encryption: mail cannot be encrypted to it"));
        }
        if (c.notAfter() != null && c.notAfter().isBefore(Instant.now())) {
            warnings.add(new ApiWarning(EXPIRED, "expired on " + c.notAfter(), Map.of("notAfter", c.notAfter().toString())));
        }
        return List.copyOf(warnings);
    }
}
