package dev.sealgate.revocation;

import dev.sealgate.certs.CertificateStore;
import dev.sealgate.certs.Certificates;
import dev.sealgate.certs.StoredCertificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

/** What the certificate store knows offline: imported CRLs (verified ones only) and certificates marked revoked. */
public interface StoredRevocation {

    /** The newest imported CRL of the certificate's issuer whose signature was verified. */
    Optional<X509CRL> crl(X509Certificate issuer);

    /** When the store marked the certificate revoked (an admin, or an imported CRL). */
    Optional<Instant> revokedAt(X509Certificate certificate);

    StoredRevocation NONE = new StoredRevocation() {
        @Override
        public Optional<X509CRL> crl(X509Certificate issuer) {
            return Optional.empty();
        }

        @Override
        public Optional<Instant> revokedAt(X509Certificate certificate) {
            return Optional.empty();
        }
    };

    static StoredRevocation of(CertificateStore store) {
        return new StoredRevocation() {
            @Override
            public Optional<X509CRL> crl(X509Certificate issuer) {
                return store.latestCrl(issuer.getSubjectX500Principal());
            }

            @Override
            public Optional<Instant> revokedAt(X509Certificate certificate) {
                return store.findByFingerprint(Certificates.fingerprint(certificate)).map(StoredCertificate::revokedAt);
            }
        };
    }
}
