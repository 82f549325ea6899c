package dev.sealgate.certs;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate's way up to a trust anchor.
 *
 * @param certificates the certificate first, then each issuer; when {@code anchored}, the trust anchor last
 * @param anchored     whether the platform's PKIX path builder found a valid path to a trust anchor now
 * @param problem      why not, naming the certificate at fault and the fix; null when anchored
 */
public record TrustPath(List<X509Certificate> certificates, boolean anchored, String problem) {

    public TrustPath {
        certificates = List.copyOf(certificates);
    }
}
