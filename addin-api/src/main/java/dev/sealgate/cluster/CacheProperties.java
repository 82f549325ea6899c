package dev.sealgate.cluster;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Read caches that every node keeps of shared data ({@code sealgate.cache.*}, ADR 0191): crypto
 * policies per scope, and the certificate store's answers of the mail path (ADR 0212; their size
 * is {@code sealgate.certificates.cache.max-entries}).
 *
 * @param checkInterval how often a node reads the cache generations from the database (default 1s):
 *                      a change made on another node is seen here at most this long after it
 *                      committed (plus one query); on the node that made it, at once. {@code 0} reads
 *                      them before every look-up
 * @param maxEntries    entries per policy cache at most (default 10000); a full cache is emptied and fills again
 */
@ConfigurationProperties("sealgate.cache")
public record CacheProperties(@DefaultValue("1s") Duration checkInterval,
                              @DefaultValue("10000") int maxEntries) {
}
