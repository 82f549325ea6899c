package dev.sealgate.certs;

/**
 * Filter for listing the store; null fields do not filter.
 *
 * @param text    part of subject, issuer, address or fingerprint (case-insensitive)
 * @param address exactly this mail address
 * @param limit   at most this many (1 to 1000), newest first
 */
public record CertificateQuery(String text, String address, CertificateKind kind, int limit) {

    public CertificateQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("certificate query limit must be between 1 and 1000, was " + limit);
        }
    }

    public static CertificateQuery all(int limit) {
        return new CertificateQuery(null, null, null, limit);
    }
}
