package dev.sealgate.smime;

import java.util.Optional;

/**
 * One S/MIME layer taken off a message, outermost first.
 *
 * @param type         what the layer was
 * @param verification the result, for a signed layer
 * @param decryption   the result, for an encrypted layer
 */
public record SmimeLayer(SmimeType type, Optional<VerificationResult> verification,
                         Optional<DecryptionResult> decryption) {
}
