package dev.sealgate.certs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The certificate store's read cache on the mail path (ADR 0197): which certificate is usable for
 * an address, and the decrypted signing and decryption keys.
 *
 * @param ttl        how long an answer is kept: a certificate or key revoked, removed or replaced on
 *                   another node (or by hand in the database) is used here for at most this long;
 *                   on the node that made the change, not at all. Zero caches nothing
 * @param maxEntries how many answers each of its caches holds at most
 */
@ConfigurationProperties("sealgate.certificates.cache")
public record CertificateCacheProperties(@DefaultValue("10s") Duration ttl, @DefaultValue("1000") int maxEntries) {

    public CertificateCacheProperties {
        // refused at start, naming the property, rather than when the store is first used
        new CertificateStore.CacheSettings(ttl, maxEntries);
    }

    public CertificateStore.CacheSettings settings() {
        return new CertificateStore.CacheSettings(ttl, maxEntries);
    }
}
