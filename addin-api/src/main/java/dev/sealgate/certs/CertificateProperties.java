package dev.sealgate.certs;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the key and certificate store.
 *
 * @param masterKey    256-bit key (base64) that encrypts private keys at rest (environment variable
 *                     SEALGATE_MASTER_KEY or SEALGATE_MASTERKEY); unset: one is generated into {@code <data-dir>/master.key}
 *                     with owner-only permissions, and a warning says so
 * @param trustAnchors PEM files or folders of PEM files whose certificates are imported as trust
 *                     anchors at every start
 */
@ConfigurationProperties("sealgate")
public record CertificateProperties(String masterKey, @DefaultValue List<Path> trustAnchors) {

    public boolean masterKeyConfigured() {
        return masterKey != null && !masterKey.isBlank();
    }

    @Override
    public String toString() {
        return "CertificateProperties[masterKey=" + (masterKeyConfigured() ? "(set)" : "(not set)")
                + ", trustAnchors=" + trustAnchors + "]";
    }
}
