package dev.sealgate.revocation;

import java.time.Duration;

/**
 * How revocation is checked ({@code sealgate.revocation.*}).
 *
 * @param ocsp                 ask the OCSP responders a certificate names (authority information access)
 * @param crl                  fetch the CRLs a certificate names (CRL distribution points; HTTP only)
 * @param ocspNonce            send a nonce with each OCSP request; an echoed nonce must match
 * @param maxWait              how long verifying a message waits for all answers of a chain; what is
 *                             not answered by then is unknown for this message, the fetch goes on and
 *                             its answer is cached for the next
 * @param cacheSize            how many CRLs and how many OCSP answers are kept in memory (each)
 * @param maxCrlSize           the largest CRL fetched, in bytes
 * @param clockSkew            tolerance between the CA's clock and ours for thisUpdate and nextUpdate
 * @param freshnessWithoutNextUpdate how long an answer without nextUpdate is believed after its thisUpdate
 * @param threads              how many checks run at once (each one waits on the network)
 */
public record RevocationSettings(boolean ocsp, boolean crl, boolean ocspNonce, Duration maxWait, int cacheSize,
                                 long maxCrlSize, Duration clockSkew, Duration freshnessWithoutNextUpdate,
                                 int threads) {

    public static final RevocationSettings DEFAULTS = new RevocationSettings(true, true, true, Duration.ofSeconds(5),
            1000, 20L * 1024 * 1024, Duration.ofMinutes(5), Duration.ofHours(1), 4);

    /** Nothing asked over the network: only what the certificate store knows. */
    public static final RevocationSettings OFFLINE = new RevocationSettings(false, false, false, DEFAULTS.maxWait(), 1,
            DEFAULTS.maxCrlSize(), DEFAULTS.clockSkew(), DEFAULTS.freshnessWithoutNextUpdate(), 1);

    public RevocationSettings {
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("sealgate.revocation.max-wait must be zero or positive, not " + maxWait);
        }
        if (cacheSize < 1) {
            throw new IllegalArgumentException("sealgate.revocation.cache-size must be at least 1, not " + cacheSize);
        }
        if (maxCrlSize < 1) {
            throw new IllegalArgumentException("sealgate.revocation.max-crl-size must be at least 1 byte, not " + maxCrlSize);
        }
        if (clockSkew == null || clockSkew.isNegative()) {
            throw new IllegalArgumentException("sealgate.revocation.clock-skew must be zero or positive, not " + clockSkew);
        }
        if (freshnessWithoutNextUpdate == null || freshnessWithoutNextUpdate.isNegative() || freshnessWithoutNextUpdate.isZero()) {
            throw new IllegalArgumentException("sealgate.revocation.freshness-without-next-update must be positive, not "
                    + freshnessWithoutNextUpdate);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("sealgate.revocation.threads must be at least 1, not " + threads);
        }
    }
}
