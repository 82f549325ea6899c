package dev.sealgate.revocation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How inbound verification checks revocation (see docs/configuration/revocation.md and
 * docs/adr/0095-revocation-checked-online.md).
 *
 * @param ocsp                       ask the OCSP responders a certificate names
 * @param crl                        fetch the CRLs a certificate's HTTP distribution points name
 * @param ocspNonce                  send a nonce with every OCSP request
 * @param connectTimeout             connecting to a responder or distribution point
 * @param requestTimeout             one whole answer, once connected
 * @param maxWait                    how long one message's verification waits for all answers of its chain
 * @param cacheSize                  CRLs and OCSP answers kept in memory (each)
 * @param maxCrlSize                 the largest CRL fetched
 * @param clockSkew                  tolerance for thisUpdate and nextUpdate
 * @param freshnessWithoutNextUpdate how long an answer without nextUpdate is believed
 * @param threads                    checks running at once
 * @param onUnknown                  what an undetermined status means where no revocation policy
 *                                   (global, partner domain, address) says otherwise
 */
@ConfigurationProperties("sealgate.revocation")
public record RevocationProperties(@DefaultValue("true") boolean ocsp,
                                   @DefaultValue("true") boolean crl,
                                   @DefaultValue("true") boolean ocspNonce,
                                   @DefaultValue("5s") Duration connectTimeout,
                                   @DefaultValue("10s") Duration requestTimeout,
                                   @DefaultValue("5s") Duration maxWait,
                                   @DefaultValue("1000") int cacheSize,
                                   @DefaultValue("20MB") DataSize maxCrlSize,
                                   @DefaultValue("5m") Duration clockSkew,
                                   @DefaultValue("1h") Duration freshnessWithoutNextUpdate,
                                   @DefaultValue("4") int threads,
                                   @DefaultValue("soft-fail") UnknownRevocation onUnknown) {

    RevocationSettings settings() {
        return new RevocationSettings(ocsp, crl, ocspNonce, maxWait, cacheSize, maxCrlSize.toBytes(), clockSkew,
                freshnessWithoutNextUpdate, threads);
    }
}
