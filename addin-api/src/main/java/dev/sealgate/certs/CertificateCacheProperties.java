package dev.sealgate.certs;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The certificate store's read caches on the mail path (ADR 0212): which certificate is usable for
 * an address, and the decrypted signing and decryption keys. How soon another node's change is seen
 * is {@code sealgate.cache.check-interval}, shared with the other caches.
 *
 * @param maxEntries how many answers each of its caches holds at most
 */
@ConfigurationProperties("sealgate.certificates.cache")
public record CertificateCacheProperties(@DefaultValue("1000") int maxEntries) {

    public CertificateCacheProperties {
        // refused at start, naming the property, rather than when the store is first used
        if (maxEntries < 1) {
            throw new IllegalArgumentException("sealgate.certificates.cache.max-entries must be at least 1, was " + maxEntries);
        }
    }
}
