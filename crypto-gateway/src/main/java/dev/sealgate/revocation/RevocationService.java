package dev.sealgate.revocation;

import dev.sealgate.net.OutboundHttp;
import dev.sealgate.smime.CertificateRevocation;
import dev.sealgate.smime.RevocationChecker;
import dev.sealgate.smime.RevocationStatus;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's revocation checker: for every certificate of a path, in parallel on its own
 * threads (never more than {@code max-wait} on the SMTP session's thread):
 * <ol>
 *   <li>the certificate store: a certificate marked revoked, or listed on a verified imported CRL,
 *       is revoked;</li>
 *   <li>the OCSP responders the certificate names;</li>
 *   <li>the HTTP CRL distribution points it names (LDAP ones are reported, not fetched);</li>
 *   <li>a current imported CRL that does not list it;</li>
 * </ol>
 * the first good or revoked answer counts. A certificate that names no source at all (and whose
 * issuer has no imported CRL) is good: there is nothing to ask. A source that exists and gives no
 * believable answer makes it unknown. A CRL is believed only when the certificate's issuer
 * signed it and its nextUpdate has not passed. Answers are cached; {@link #prefetch} warms the
 * caches for certificates the gateway will meet again (harvested signers).
 */
public final class RevocationService implements RevocationChecker, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RevocationService.class);
    private static final int QUEUE = 1000;

    private final RevocationSettings settings;
    private final StoredRevocation stored;
    private final Clock clock;
    private final OcspClient ocsp;
    private final CrlFetcher crls;
    private final BoundedCache<String, OcspClient.Answer> ocspAnswers;
    private final SingleFlight<String, OcspClient.Answer> ocspFlights = new SingleFlight<>();
    private final ThreadPoolExecutor threads;

    public RevocationService(OutboundHttp http, RevocationSettings settings, StoredRevocation stored, Clock clock) {
        this.settings = settings;
        this.stored = stored;
        this.clock = clock;
        this.ocsp = new OcspClient(http, settings, clock);
        this.crls = new CrlFetcher(http, settings, clock);
        this.ocspAnswers = new BoundedCache<>(settings.cacheSize());
        AtomicInteger n = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(settings.threads(), settings.threads(), 1, TimeUnit.MINUTES,
                new LinkedBlockingQueue<>(QUEUE), task -> {
                    Thread t = new Thread(task, "revocation-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.threads.allowCoreThreadTimeOut(true);
    }

    @Override
    public List<CertificateRevocation> check(List<X509Certificate> path) {
        List<CompletableFuture<RevocationStatus>> answers = new ArrayList<>();
        for (int i = 0; i + 1 < path.size(); i++) {
            answers.add(submit(path.get(i), path.get(i + 1)));
        }
        long deadline = System.nanoTime() + settings.maxWait().toNanos();
        List<CertificateRevocation> result = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            result.add(new CertificateRevocation(path.get(i), await(answers.get(i), deadline)));
        }
        return result;
    }

    /**
     * Starts checking every certificate of the chain (certificate first, issuers after it) without
     * waiting: the answers land in the caches for the next message.
     */
    public void prefetch(List<X509Certificate> chain) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            submit(chain.get(i), chain.get(i + 1));
        }
    }

    private CompletableFuture<RevocationStatus> submit(X509Certificate certificate, X509Certificate issuer) {
        try {
            return CompletableFuture.supplyAsync(() -> status(certificate, issuer), threads);
        } catch (RejectedExecutionException busy) {
            return CompletableFuture.completedFuture(new RevocationStatus.Unknown(
                    "more than " + QUEUE + " revocation checks are waiting: not checked"));
        }
    }

    private RevocationStatus await(CompletableFuture<RevocationStatus> answer, long deadline) {
        try {
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return new RevocationStatus.Unknown("no answer within " + settings.maxWait()
                    + " (sealgate.revocation.max-wait); the check goes on and its answer is kept for the next message");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RevocationStatus.Unknown("interrupted while waiting for the revocation check");
        } catch (ExecutionException e) {
            return new RevocationStatus.Unknown("the revocation check failed: " + e.getCause());
        }
    }

    /** The status of one certificate, found by the steps in the class comment. Never throws for a CA's failure. */
    RevocationStatus status(X509Certificate certificate, X509Certificate issuer) {
        Optional<Instant> marked = stored.revokedAt(certificate);
        if (marked.isPresent()) {
            return new RevocationStatus.Revoked(Reasons.name(0), marked.get(), "the certificate store (marked revoked)");
        }
        Optional<X509CRL> imported = stored.crl(issuer).filter(crl -> signedBy(crl, issuer));
        if (imported.isPresent() && imported.get().getRevokedCertificate(certificate) != null) {
            return revoked(imported.get().getRevokedCertificate(certificate), "an imported CRL of " + issuerName(issuer));
        }
        List<String> tried = new ArrayList<>();
        if (settings.ocsp()) {
            for (String url : CertificateUrls.ocsp(certificate)) {
                if (!CertificateUrls.fetchable(url)) {
                    tried.add("OCSP responder " + url + " not asked: only HTTP is supported");
                    continue;
                }
                RevocationStatus status = askOcsp(certificate, issuer, url);
                if (!(status instanceof RevocationStatus.Unknown unknown)) {
                    return status;
                }
                tried.add(unknown.why());
            }
        }
        if (settings.crl()) {
            for (String url : CertificateUrls.crl(certificate)) {
                if (!CertificateUrls.fetchable(url)) {
                    tried.add("CRL distribution point " + url + " not fetched: only HTTP is supported");
                    continue;
                }
                RevocationStatus status = fromCrl(certificate, issuer, url);
                if (!(status instanceof RevocationStatus.Unknown unknown)) {
                    return status;
                }
                tried.add(unknown.why());
            }
        }
        if (imported.isPresent()) {
            Optional<String> stale = staleness(imported.get());
            if (stale.isEmpty()) {
                return new RevocationStatus.Good("an imported CRL of " + issuerName(issuer));
            }
            tried.add("the imported CRL " + stale.get());
        }
        if (tried.isEmpty()) {
            // Nothing published that could be asked: checked as far as it can be, like the mail clients do
            // (CryptoAPI, NSS). Unknown is for a source that exists and did not answer believably.
            return new RevocationStatus.Good(settings.ocsp() || settings.crl()
                    ? "no revocation source: the certificate names no OCSP responder or CRL distribution point and no CRL of "
                    + "its issuer is imported"
                    : "no revocation source asked: online checks are off and no CRL of the issuer is imported");
        }
        return new RevocationStatus.Unknown(String.join("; ", tried));
    }

    private RevocationStatus askOcsp(X509Certificate certificate, X509Certificate issuer, String url) {
        String key = OcspClient.cacheKey(certificate, issuer) + "@" + url;
        Optional<OcspClient.Answer> cached = ocspAnswers.get(key).filter(a -> clock.instant().isBefore(a.freshUntil()));
        if (cached.isPresent()) {
            return cached.get().status();
        }
        try {
            OcspClient.Answer answer = ocspFlights.run(key, () -> ocsp.ask(certificate, issuer, url));
            if (!(answer.status() instanceof RevocationStatus.Unknown)) {
                ocspAnswers.put(key, answer);
            }
            return answer.status();
        } catch (IOException e) {
            return new RevocationStatus.Unknown("OCSP responder " + url + " cannot be reached (" + e.getMessage() + ")");
        }
    }

    private RevocationStatus fromCrl(X509Certificate certificate, X509Certificate issuer, String url) {
        String source = "CRL " + url;
        X509CRL crl;
        try {
            crl = crls.get(url);
        } catch (IOException e) {
            return new RevocationStatus.Unknown(source + " cannot be fetched (" + oneLine(e.getMessage()) + ")");
        }
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return new RevocationStatus.Unknown(source + " is issued by " + crl.getIssuerX500Principal().getName()
                    + ", not by the certificate's issuer: not believed");
        }
        if (!signedBy(crl, issuer)) {
            return new RevocationStatus.Unknown(source + " is not signed by the certificate's issuer "
                    + issuerName(issuer) + ": not believed");
        }
        X509CRLEntry entry = crl.getRevokedCertificate(certificate);
        if (entry != null) {
            // A revocation listed even on an outdated CRL stays a revocation.
            return revoked(entry, source);
        }
        Optional<String> stale = staleness(crl);
        if (stale.isPresent()) {
            return new RevocationStatus.Unknown(source + " " + stale.get() + ": not believed");
        }
        return new RevocationStatus.Good(source);
    }

    /** Empty when the CRL is current; else why not. */
    private Optional<String> staleness(X509CRL crl) {
        Instant now = clock.instant();
        Instant thisUpdate = crl.getThisUpdate().toInstant();
        if (thisUpdate.isAfter(now.plus(settings.clockSkew()))) {
            return Optional.of("is dated in the future (thisUpdate " + thisUpdate + ")");
        }
        Instant nextUpdate = crl.getNextUpdate() != null
                ? crl.getNextUpdate().toInstant()
                : thisUpdate.plus(settings.freshnessWithoutNextUpdate());
        if (now.isAfter(nextUpdate.plus(settings.clockSkew()))) {
            return Optional.of("is stale (nextUpdate " + nextUpdate + " has passed)");
        }
        return Optional.empty();
    }

    private static boolean signedBy(X509CRL crl, X509Certificate issuer) {
        try {
            crl.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static RevocationStatus revoked(X509CRLEntry entry, String source) {
        // java.security.cert.CRLReason's ordinals are the RFC 5280 reason codes
        int reason = entry.getRevocationReason() == null ? 0 : entry.getRevocationReason().ordinal();
        return new RevocationStatus.Revoked(Reasons.name(reason), entry.getRevocationDate().toInstant(), source);
    }

    private static String issuerName(X509Certificate issuer) {
        return issuer.getSubjectX500Principal().getName();
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n]+", " ");
    }

    @Override
    public void close() {
        threads.shutdownNow();
        log.debug("Revocation checks stopped");
    }
}
