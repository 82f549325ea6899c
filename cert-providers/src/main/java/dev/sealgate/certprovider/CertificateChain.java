package dev.sealgate.certprovider;

import java.security.cert.X509Certificate;
import java.util.List;

/** An issued certificate first, then its issuers up to (and possibly including) the root. */
public record CertificateChain(List<X509Certificate> certificates) {
    public CertificateChain {
        certificates = List.copyOf(certificates);
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain holds at least the issued certificate");
        }
    }

    public X509Certificate leaf() {
        return certificates.get(0);
    }
}
