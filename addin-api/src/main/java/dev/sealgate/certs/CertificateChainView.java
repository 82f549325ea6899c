package dev.sealgate.certs;

import dev.sealgate.web.ApiWarning;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A certificate's chain up to a trust anchor, for the admin API: built by the platform's PKIX path
 * builder over the store's CA certificates ({@link CertificateStore#trustPath}); when none is found,
 * what the store can link by signature and why no path was found.
 *
 * @param anchored whether a valid path to a trust anchor exists now
 * @param problem  why not, or which certificate of an anchored chain is revoked, with the fix; a stable code
 *                 ({@code chain.*}, ADR 0201) and the English text; null when there is nothing to say
 * @param elements the certificate first, then each issuer; the trust anchor last when anchored
 */
public record CertificateChainView(long certificateId, boolean anchored, ApiWarning problem, List<Element> elements) {

    /**
     * One certificate of the chain.
     *
     * @param id          its id in the store; null when the store does not hold it
     * @param status      VALID, EXPIRED, NOT_YET_VALID or REVOKED (revoked as the store knows it), judged now
     * @param trustAnchor whether it is the trust anchor the path ends at
     */
    public record Element(Long id, String subject, String issuer, String serial, Instant notBefore, Instant notAfter,
                          String fingerprint, String status, boolean trustAnchor) {
    }

    static CertificateChainView of(long id, TrustPath path, CertificateStore store, Instant now) {
        List<X509Certificate> certificates = path.certificates();
        List<Element> elements = new java.util.ArrayList<>();
        for (int i = 0; i < certificates.size(); i++) {
            X509Certificate c = certificates.get(i);
            String fingerprint = Certificates.fingerprint(c);
            StoredCertificate stored = store.findByFingerprint(fingerprint).orElse(null);
            Instant notBefore = c.getNotBefore().toInstant();
            Instant notAfter = c.getNotAfter().toInstant();
            String status = stored != null && stored.isRevokedAt(now) ? "REVOKED"
                    : now.isBefore(notBefore) ? "NOT_YET_VALID" : now.isBefore(notAfter) ? "VALID" : "EXPIRED";
            elements.add(new Element(stored == null ? null : stored.id(), Certificates.readable(c.getSubjectX500Principal()),
                    Certificates.readable(c.getIssuerX500Principal()), Certificates.serialHex(c.getSerialNumber()), notBefore, notAfter,
                    fingerprint, status, path.anchored() && i == certificates.size() - 1));
        }
        ApiWarning problem = path.problem() == null ? null
                : new ApiWarning(path.problem().code(), path.problem().message(), path.problem().arguments());
        if (problem == null) {
            problem = elements.stream().filter(e -> e.status().equals("REVOKED")).findFirst()
                    .map(e -> new ApiWarning("chain.revoked", "the certificate " + e.subject() + " of the chain is revoked: do not rely on it",
                            Map.of("subject", e.subject()))).orElse(null);
        }
        return new CertificateChainView(id, path.anchored(), problem, List.copyOf(elements));
    }
}
