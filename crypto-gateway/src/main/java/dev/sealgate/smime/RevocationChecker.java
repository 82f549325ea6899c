package dev.sealgate.smime;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Finds the revocation status of every certificate of a validated path. The engine stays free of
 * network and storage: the gateway plugs in OCSP, fetched and imported CRLs
 * ({@code dev.sealgate.revocation.RevocationService}).
 */
@FunctionalInterface
public interface RevocationChecker {

    /**
     * @param path the validated path, target certificate first, each certificate followed by its
     *             issuer, the trust anchor's certificate last
     * @return one entry per certificate of the path except the trust anchor, in path order; never
     *         throws for a network or CA failure (that is an {@link RevocationStatus.Unknown})
     */
    List<CertificateRevocation> check(List<X509Certificate> path);
}
