package dev.sealgate.certs;

import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What an imported file held: certificates with their private keys, other certificates, CRLs.
 */
public record CertificateBundle(List<KeyEntry> keyEntries, List<X509Certificate> certificates, List<X509CRL> crls) {

    public CertificateBundle {
        keyEntries = List.copyOf(keyEntries);
        certificates = List.copyOf(certificates);
        crls = List.copyOf(crls);
    }

    public boolean isEmpty() {
        return keyEntries.isEmpty() && certificates.isEmpty() && crls.isEmpty();
    }

    /** A certificate with its private key and the chain above it (without the certificate itself). */
    public record KeyEntry(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> chain) {

        public KeyEntry {
            chain = List.copyOf(chain);
        }

        @Override
        public String toString() {
            return "KeyEntry[certificate=" + certificate.getSubjectX500Principal() + ", privateKey=(hidden), chain="
                    + chain.size() + " certificates]";
        }
    }
}
