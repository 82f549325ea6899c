package dev.sealgate.smime;

import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a verifier trusts: trust anchors, extra intermediate certificates, CRLs, the time at which
 * to judge validity (empty: now), and a revocation checker. When CRLs are given, every certificate
 * of the path must be covered by one; when a checker is given, it is asked about every certificate
 * of the path and its answers are in the result ({@link VerificationResult#revocation()}); with
 * neither, revocation is not checked.
 */
public record TrustSettings(Set<TrustAnchor> anchors, List<X509Certificate> intermediates, List<X509CRL> crls,
                            Optional<Instant> validationTime, Optional<RevocationChecker> revocation) {

    public TrustSettings {
        anchors = Set.copyOf(anchors);
        intermediates = List.copyOf(intermediates);
        crls = List.copyOf(crls);
        Objects.requireNonNull(validationTime, "validationTime");
        Objects.requireNonNull(revocation, "revocation");
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("no trust anchor given: pass at least one root certificate");
        }
    }

    /** Without a revocation checker. */
    public TrustSettings(Set<TrustAnchor> anchors, List<X509Certificate> intermediates, List<X509CRL> crls,
                         Optional<Instant> validationTime) {
        this(anchors, intermediates, crls, validationTime, Optional.empty());
    }

    /** Trust these roots; no intermediates, no CRLs, judged now. */
    public static TrustSettings of(X509Certificate... roots) {
        return new TrustSettings(Arrays.stream(roots).map(r -> new TrustAnchor(r, null)).collect(Collectors.toSet()),
                List.of(), List.of(), Optional.empty());
    }

    public TrustSettings withIntermediates(List<X509Certificate> intermediates) {
        return new TrustSettings(anchors, intermediates, crls, validationTime, revocation);
    }

    public TrustSettings withCrls(List<X509CRL> crls) {
        return new TrustSettings(anchors, intermediates, crls, validationTime, revocation);
    }

    public TrustSettings withRevocation(RevocationChecker checker) {
        return new TrustSettings(anchors, intermediates, crls, validationTime, Optional.of(checker));
    }

    public TrustSettings at(Instant time) {
        return new TrustSettings(anchors, intermediates, crls, Optional.of(time), revocation);
    }
}
