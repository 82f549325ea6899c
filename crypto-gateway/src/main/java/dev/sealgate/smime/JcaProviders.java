package dev.sealgate.smime;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.security.Provider;
import java.security.Security;

/**
 * Which JCA provider does what (ADR 0010): Bouncy Castle for CMS structure, signatures and key
 * transport/agreement; SunJCE for bulk AES, where the JIT's AES-NI/GHASH intrinsics make it 10 to 30
 * times faster. Exception: AES-GCM decryption of large messages, where SunJCE holds the whole
 * ciphertext until the tag is checked and BC streams. The BC provider is used as an instance and
 * never registered globally.
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

    /**
     * Largest encrypted body that AES-GCM decryption may hold in memory (SunJCE buffers it all, and the
     * plaintext once more): above it, or when the size is unknown, BC decrypts in bounded memory.
     */
    static final long GCM_IN_MEMORY_LIMIT = 16L * 1024 * 1024;

    /**
     * Provider for content decryption: SunJCE for CBC; for GCM, SunJCE when the body is known to be
     * at most {@link #GCM_IN_MEMORY_LIMIT}, else BC.
     *
     * @param bodySize encoded body size in bytes, or a negative value when unknown
     */
    static Provider contentDecryption(boolean authenticated, long bodySize) {
        if (!authenticated) {
            return contentEncryption();
        }
        return bodySize >= 0 && bodySize <= GCM_IN_MEMORY_LIMIT ? contentEncryption() : BC;
    }
}
