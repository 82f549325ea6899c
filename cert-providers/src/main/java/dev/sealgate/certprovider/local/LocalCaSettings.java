package dev.sealgate.certprovider.local;

import java.net.URI;
import java.time.Duration;

/**
 * How the embedded CA issues, wherever it keeps its state.
 *
 * @param caName               common name prefix of the root ("... Root CA") and issuing CA ("... Issuing CA")
 * @param certificateValidity  validity of issued S/MIME certificates
 * @param crlValidity          time from a CRL's thisUpdate to its nextUpdate
 * @param crlDistributionPoint where the CRL is published, written into issued certificates; null for none
 */
public record LocalCaSettings(String caName, Duration certificateValidity, Duration crlValidity, URI crlDistributionPoint) {

    public static final String DEFAULT_CA_NAME = "Sealgate Local";
    public static final Duration DEFAULT_CERTIFICATE_VALIDITY = Duration.ofDays(365);
    public static final Duration DEFAULT_CRL_VALIDITY = Duration.ofDays(7);

    public LocalCaSettings {
        caName = caName == null || caName.isBlank() ? DEFAULT_CA_NAME : caName.strip();
        certificateValidity = certificateValidity == null ? DEFAULT_CERTIFICATE_VALIDITY : certificateValidity;
        crlValidity = crlValidity == null ? DEFAULT_CRL_VALIDITY : crlValidity;
        if (certificateValidity.isNegative() || certificateValidity.isZero()) {
            throw new IllegalArgumentException("certificateValidity must be positive, was " + certificateValidity);
        }
        if (crlValidity.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("crlValidity must be at least one hour, was " + crlValidity);
        }
        if (crlDistributionPoint != null && !crlDistributionPoint.isAbsolute()) {
            throw new IllegalArgumentException("crlDistributionPoint must be an absolute URI, was " + crlDistributionPoint);
        }
    }

    /** The defaults: one-year certificates, weekly CRLs, no distribution point. */
    public static LocalCaSettings defaults() {
        return new LocalCaSettings(null, null, null, null);
    }
}
