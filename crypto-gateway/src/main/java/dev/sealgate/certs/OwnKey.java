package dev.sealgate.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * An own certificate with its decrypted private key and the chain above it, for signing or
 * decrypting. Hand it to the S/MIME engine and let it go; {@link #toString()} hides the key.
 */
public record OwnKey(StoredCertificate stored, PrivateKey privateKey, List<X509Certificate> chain) {

    public OwnKey {
        chain = List.copyOf(chain);
    }

    public X509Certificate certificate() {
        return stored.certificate();
    }

    @Override
    public String toString() {
        return "OwnKey[" + stored + ", privateKey=(hidden), chain=" + chain.size() + " certificates]";
    }
}
