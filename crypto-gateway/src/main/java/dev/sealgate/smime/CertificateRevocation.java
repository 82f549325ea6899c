package dev.sealgate.smime;

import java.security.cert.X509Certificate;
import java.util.Objects;

/** The revocation status of one certificate of a verified chain (the trust anchor itself is never checked). */
public record CertificateRevocation(X509Certificate certificate, RevocationStatus status) {

    public CertificateRevocation {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(status, "status");
    }

    public boolean revoked() {
        return status instanceof RevocationStatus.Revoked;
    }

    public boolean unknown() {
        return status instanceof RevocationStatus.Unknown;
    }
}
