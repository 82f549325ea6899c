package dev.sealgate.addin;

import io.swagger.v3.oas.annotations.media.Schema;

/** The flags the user chose for the message being composed. */
@Schema(description = "Flags for one message")
public record FlagsRequest(
        @Schema(description = "Sender of the message; must be the authenticated user (default)", example = "alice@example.org")
        String sender,
        @Schema(example = "true") boolean encrypt,
        @Schema(example = "true") boolean sign,
        @Schema(example = "false") boolean largeFiles,
        @Schema(description = "Internet Message-ID if Outlook knows it; then the flags are also kept server-side",
                example = "<CAF1234@mail.example.org>") String messageId) {
}
