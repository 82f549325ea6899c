package dev.sealgate.certprovider.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the embedded CA lives and how it issues.
 *
 * @param directory            holds the CA key store, the issued certificates and the CRL state; created if missing
 * @param keyStorePassword     protects the PKCS#12 with both CA keys; the caller derives it from its master key
 * @param caName               common name prefix of the root ("... Root CA") and issuing CA ("... Issuing CA")
 * @param certificateValidity  validity of issued S/MIME certificates
 * @param crlValidity          time from a CRL's thisUpdate to its nextUpdate
 * @param crlDistributionPoint where the CRL is published, written into issued certificates; null for none
 */
public record LocalCaConfig(Path directory, char[] keyStorePassword, String caName, Duration certificateValidity,
        Duration crlValidity, URI crlDistributionPoint) {

    public static final String DEFAULT_CA_NAME = "Sealgate Local";
    public static final Duration DEFAULT_CERTIFICATE_VALIDITY = Duration.ofDays(365);
    public static final Duration DEFAULT_CRL_VALIDITY = Duration.ofDays(7);

    public LocalCaConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(keyStorePassword, "keyStorePassword");
        if (keyStorePassword.length == 0) {
            throw new IllegalArgumentException("the local CA key store needs a non-empty password");
        }
        keyStorePassword = keyStorePassword.clone();
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
    public LocalCaConfig(Path directory, char[] keyStorePassword) {
        this(directory, keyStorePassword, null, null, null, null);
    }

    @Override
    public char[] keyStorePassword() {
        return keyStorePassword.clone();
    }

    @Override
    public String toString() {
        return "LocalCaConfig[directory=" + directory + ", keyStorePassword=***, caName=" + caName
                + ", certificateValidity=" + certificateValidity + ", crlValidity=" + crlValidity
                + ", crlDistributionPoint=" + crlDistributionPoint + "]";
    }
}
