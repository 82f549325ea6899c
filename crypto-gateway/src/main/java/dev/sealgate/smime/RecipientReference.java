package dev.sealgate.smime;

import org.bouncycastle.util.encoders.Hex;

import javax.security.auth.x500.X500Principal;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;

/**
 * How an encrypted message names one recipient's key: by issuer and serial number, by subject key
 * identifier, or both. The key store resolves it to a private key.
 *
 * @param keyEncryption         the key transport or agreement used for this recipient
 */
public record RecipientReference(Optional<X500Principal> issuer, Optional<BigInteger> serialNumber,
                                 Optional<byte[]> subjectKeyIdentifier, KeyEncryption keyEncryption) {

    /** True if this reference names the given certificate. */
    public boolean matches(X509Certificate certificate) {
        if (issuer.isPresent() && serialNumber.isPresent()) {
            return issuer.get().equals(certificate.getIssuerX500Principal())
                    && serialNumber.get().equals(certificate.getSerialNumber());
        }
        return subjectKeyIdentifier.isPresent()
                && Arrays.equals(subjectKeyIdentifier.get(), Certificates.subjectKeyIdentifier(certificate));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (issuer.isPresent()) {
            sb.append("issuer=").append(issuer.get().getName()).append(",serial=")
                    .append(serialNumber.map(s -> s.toString(16)).orElse("?"));
        }
        if (subjectKeyIdentifier.isPresent()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append("ski=").append(Hex.toHexString(subjectKeyIdentifier.get()));
        }
        return sb.toString();
    }
}
