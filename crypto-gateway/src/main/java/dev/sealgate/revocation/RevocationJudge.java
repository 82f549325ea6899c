package dev.sealgate.revocation;

import dev.sealgate.certs.CertificateStore;
import dev.sealgate.net.OutboundHttp;
import dev.sealgate.smime.TrustSettings;
import dev.sealgate.smime.VerificationResult;
import dev.sealgate.smime.VerificationStatus;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the inbound step needs from revocation: the checker to hand the engine, the partner's policy
 * for an unknown status, and prefetching for certificates the gateway will see again.
 */
public final class RevocationJudge {

    private final RevocationService service;
    private final Function<String, UnknownRevocation> policies;

    /**
     * @param policies the policy for a signer address ({@link RevocationPolicies#forAddress}); the
     *                 address may be null when the signer's certificate names none
     */
    public RevocationJudge(RevocationService service, Function<String, UnknownRevocation> policies) {
        this.service = Objects.requireNonNull(service, "service");
        this.policies = Objects.requireNonNull(policies, "policies");
    }

    /**
     * Revocation from the certificate store only (certificates marked revoked, imported CRLs), no
     * network, soft-fail: for callers without the gateway's configuration.
     */
    public static RevocationJudge storeOnly(CertificateStore store) {
        return new RevocationJudge(new RevocationService(new OutboundHttp(OutboundHttp.OutboundHttpSettings.DEFAULTS),
                RevocationSettings.OFFLINE, StoredRevocation.of(store), Clock.systemUTC()), address -> UnknownRevocation.SOFT_FAIL);
    }

    /** The trust settings with this gateway's revocation checker. */
    public TrustSettings trust(TrustSettings base) {
        return base.withRevocation(service);
    }

    /** The policy that applies to the signature's unknown revocation status (by the signer's address). */
    public UnknownRevocation policyFor(VerificationResult result) {
        return policies.apply(result.signerAddress().orElse(null));
    }

    /**
     * Whether the signature counts as valid for the partner's inbound requirement and for trusting
     * its certificate: a valid one, or one whose only flaw is an unknown revocation status under
     * soft-fail. The stamp says {@code revocation-unknown} either way.
     */
    public boolean countsAsValid(VerificationResult result) {
        return result.valid()
                || (result.status() == VerificationStatus.REVOCATION_UNKNOWN && policyFor(result) == UnknownRevocation.SOFT_FAIL);
    }

    /** Starts checking the chain (certificate first, anchor last) in the background; answers are cached. */
    public void prefetch(List<X509Certificate> chain) {
        service.prefetch(chain);
    }
}
