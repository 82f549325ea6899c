package dev.sealgate.smime;

import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a verifier trusts: trust anchors, extra intermediate certificates, CRLs, and the time at
 * which to judge validity (empty: now). When CRLs are given, every certificate of the path must be
 * covered by one; when none are given, revocation is not checked.
 */
public record TrustSettings(Set<TrustAnchor> anchors, List<X509Certificate> intermediates, List<X509CRL> crls,
                            Optional<Instant> validationTime) {

    public TrustSettings {
        anchors = Set.copyOf(anchors);
        intermediates = List.copyOf(intermediates);
        crls = List.copyOf(crls);
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("no trust anchor given: pass at least one root certificate");
        }
    }

    /** Trust these roots; no intermediates, no CRLs, judged now. */
    public static TrustSettings of(X509Certificate... roots) {
        return new TrustSettings(Arrays.stream(roots).map(r -> new TrustAnchor(r, null)).collect(Collectors.toSet()),
                List.of(), List.of(), Optional.empty());
    }

    public TrustSettings withIntermediates(List<X509Certificate> intermediates) {
        return new TrustSettings(anchors, intermediates, crls, validationTime);
    }

    public TrustSettings withCrls(List<X509CRL> crls) {
        return new TrustSettings(anchors, intermediates, crls, validationTime);
    }

    public TrustSettings at(Instant time) {
        return new TrustSettings(anchors, intermediates, crls, Optional.of(time));
    }
}
