package dev.sealgate.addin;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * @param address        the recipient, as asked
 * @param internal       the recipient is in one of the organisation's own domains
 * @param certificate    a usable (valid, trusted, not revoked) encryption certificate is known
 * @param ifEncrypted    what happens to this recipient if the sender asks for encryption
 */
@Schema(description = "What the gateway knows and would do for one recipient")
public record RecipientStatus(@Schema(example = "bob@partner.example") String address,
                              @Schema(example = "false") boolean internal,
                              @Schema(example = "true") boolean certificate,
                              @Schema(example = "ENCRYPTED") EncryptionOutcome ifEncrypted) {
}
