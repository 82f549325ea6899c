package dev.sealgate.smime;

import java.util.Objects;
import java.util.Optional;

/**
 * How to encrypt. {@link #defaults()} is AES-256-CBC, which every S/MIME client reads.
 *
 * @param contentEncryption content-encryption algorithm shared by all recipients of the message
 * @param self              the sender, added as one more recipient so the sent copy stays readable
 *                          ("encrypt to self"); empty for none
 */
public record EncryptionOptions(ContentEncryption contentEncryption, Optional<RecipientSpec> self) {

    public EncryptionOptions {
        Objects.requireNonNull(contentEncryption, "contentEncryption");
        Objects.requireNonNull(self, "self");
    }

    public static EncryptionOptions defaults() {
        return new EncryptionOptions(ContentEncryption.AES256_CBC, Optional.empty());
    }

    public EncryptionOptions withContentEncryption(ContentEncryption contentEncryption) {
        return new EncryptionOptions(contentEncryption, self);
    }

    public EncryptionOptions withEncryptToSelf(RecipientSpec sender) {
        return new EncryptionOptions(contentEncryption, Optional.of(sender));
    }
}
