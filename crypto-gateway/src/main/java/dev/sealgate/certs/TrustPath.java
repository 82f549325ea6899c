package dev.sealgate.certs;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * A certificate's way up to a trust anchor.
 *
 * @param certificates the certificate first, then each issuer; when {@code anchored}, the trust anchor last
 * @param anchored     whether the platform's PKIX path builder found a valid path to a trust anchor now
 * @param problem      why not; null when anchored
 */
public record TrustPath(List<X509Certificate> certificates, boolean anchored, Problem problem) {

    public TrustPath {
        certificates = List.copyOf(certificates);
    }

    /**
     * Why no path was found.
     *
     * @param code      stable: {@code chain.no-trust-anchors}, {@code chain.not-valid-now}, {@code chain.root-not-trusted},
     *                  {@code chain.issuer-missing}, {@code chain.cannot-build}
     * @param message   English, naming the certificate at fault and the fix
     * @param arguments the names and dates the message quotes, by name
     */
    public record Problem(String code, String message, Map<String, String> arguments) {

        public Problem {
            arguments = Map.copyOf(arguments);
        }
    }
}
