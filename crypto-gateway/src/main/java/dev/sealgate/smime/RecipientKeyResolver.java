package dev.sealgate.smime;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Resolves a recipient named in an encrypted message to the private key that decrypts it.
 * The certificate store implements this; the engine never looks keys up itself.
 */
@FunctionalInterface
public interface RecipientKeyResolver {

    /** The private key for this recipient, or empty if we do not hold it. */
    Optional<PrivateKey> resolve(RecipientReference recipient);

    /** A resolver that knows one key, matched against its certificate by issuer+serial or subject key identifier. */
    static RecipientKeyResolver of(PrivateKey key, X509Certificate certificate) {
        return ref -> ref.matches(certificate) ? Optional.of(key) : Optional.empty();
    }
}
