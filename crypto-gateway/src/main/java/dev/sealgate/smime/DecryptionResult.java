package dev.sealgate.smime;

import java.util.Optional;

/**
 * What a decryption found.
 *
 * @param type                 {@link SmimeType#ENVELOPED} or {@link SmimeType#AUTH_ENVELOPED}
 * @param contentEncryptionOid the content-encryption algorithm the sender used, as an object identifier
 * @param recipient            the recipient whose key opened the message
 */
public record DecryptionResult(SmimeType type, String contentEncryptionOid, RecipientReference recipient) {

    /** The content encryption, if it is one this engine also produces (legacy 3DES messages decrypt but are not named here). */
    public Optional<ContentEncryption> contentEncryption() {
        return ContentEncryption.fromOid(contentEncryptionOid);
    }
}
