package dev.sealgate.certprovider;

import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** A certificate for {@code address}, for the key in {@code csr}. */
public record EnrollmentRequest(String address, PKCS10CertificationRequest csr) {
    public EnrollmentRequest {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(csr, "csr");
        address = address.strip().toLowerCase(Locale.ROOT);
        if (!address.matches("[^@\\s]+@[^@\\s]+")) {
            throw new IllegalArgumentException("not a mail address: " + address);
        }
    }
}
