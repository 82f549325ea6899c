package dev.sealgate.certprovider.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the embedded CA keeps its files (the layout of {@link FileLocalCaStore}) and how it issues.
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

    public static final String DEFAULT_CA_NAME = LocalCaSettings.DEFAULT_CA_NAME;
    public static final Duration DEFAULT_CERTIFICATE_VALIDITY = LocalCaSettings.DEFAULT_CERTIFICATE_VALIDITY;
    public static final Duration DEFAULT_CRL_VALIDITY = LocalCaSettings.DEFAULT_CRL_VALIDITY;

    public LocalCaConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(keyStorePassword, "keyStorePassword");
        if (keyStorePassword.length == 0) {
            throw new IllegalArgumentException("the local CA key store needs a non-empty password");
        }
        keyStorePassword = keyStorePassword.clone();
        LocalCaSettings settings = new LocalCaSettings(caName, certificateValidity, crlValidity, crlDistributionPoint);
        caName = settings.caName();
        certificateValidity = settings.certificateValidity();
        crlValidity = settings.crlValidity();
    }

    /** The defaults: one-year certificates, weekly CRLs, no distribution point. */
    public LocalCaConfig(Path directory, char[] keyStorePassword) {
        this(directory, keyStorePassword, null, null, null, null);
    }

    /** How the CA issues, apart from where it keeps its files. */
    public LocalCaSettings settings() {
        return new LocalCaSettings(caName, certificateValidity, crlValidity, crlDistributionPoint);
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
