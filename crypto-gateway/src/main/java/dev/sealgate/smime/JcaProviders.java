package dev.sealgate.smime;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.security.Provider;
import java.security.Security;

/**
 * Which JCA provider does what (ADR 0010): Bouncy Castle for CMS structure, signatures and key
 * transport/agreement; SunJCE for bulk AES where the JIT's AES-NI intrinsics apply, except AES-GCM
 * decryption, where SunJCE holds the whole ciphertext until the tag is checked and BC streams.
 * The BC provider is used as an instance and never registered globally.
 */
final class JcaProviders {

    static final Provider BC = new BouncyCastleProvider();

    private JcaProviders() {
    }

    /** Provider for content encryption, both families. */
    static Provider contentEncryption() {
        Provider sun = Security.getProvider("SunJCE");
        return sun != null ? sun : BC;
    }

    /** Provider for content decryption: SunJCE for CBC, BC for GCM so that memory stays bounded. */
    static Provider contentDecryption(boolean authenticated) {
        return authenticated ? BC : contentEncryption();
    }
}
