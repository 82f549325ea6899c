package dev.sealgate.certs;

/**
 * Where a stored certificate came from, recorded when it is first stored: an admin who finds a
 * certificate in the store asks this first.
 *
 * @param source how it came
 * @param detail from whom or what: the provider, the sender and tracking id of the message, who
 *               imported it, the configured file; null when nothing more is known
 */
public record CertificateOrigin(Source source, String detail) {

    /** Stored before origins were recorded, and nothing identifies where it came from. */
    public static final CertificateOrigin UNKNOWN = new CertificateOrigin(Source.UNKNOWN, null);

    public enum Source {
        /** Issued to an own address by a certificate provider. */
        ENROLLED,
        /** Carried in the signature of a message that was received. */
        HARVESTED,
        /** Imported by an admin (API, console) or from a configured trust anchor file. */
        IMPORTED,
        /** The gateway's own local CA. */
        BUILT_IN,
        /** Stored before origins were recorded. */
        UNKNOWN
    }

    public CertificateOrigin {
        if (source == null) {
            throw new IllegalArgumentException("a certificate origin needs its source");
        }
        detail = detail == null || detail.isBlank() ? null : detail.strip();
        if (detail != null && detail.length() > 1000) {
            detail = detail.substring(0, 999) + "…";
        }
    }

    /** @param provider the name of the certificate provider that issued it */
    public static CertificateOrigin enrolled(String provider) {
        return new CertificateOrigin(Source.ENROLLED, "provider " + provider);
    }

    /** @param sender the envelope sender of the message; @param trackingId that message's tracking id */
    public static CertificateOrigin harvested(String sender, String trackingId) {
        return new CertificateOrigin(Source.HARVESTED, "signature of a message from <" + sender + ">"
                + (trackingId == null ? "" : " (tracking id " + trackingId + ")"));
    }

    /** @param by who imported it (the signed-in admin or API key), or the file it came from */
    public static CertificateOrigin imported(String by) {
        return new CertificateOrigin(Source.IMPORTED, by);
    }

    /** @param what which part of the gateway made it, e.g. "local CA" */
    public static CertificateOrigin builtIn(String what) {
        return new CertificateOrigin(Source.BUILT_IN, what);
    }
}
