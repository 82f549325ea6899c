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
                example = "<CAF1234@mail.example.org>") String messageId,
        @Schema(description = "A random id (16 to 64 letters, digits, '-' or '_') the add-in also sets as header "
                + "X-Sealgate-Correlation; the flags are then also kept under it for the sender, for when Outlook "
                + "drops the X-Sealgate-Flags header", example = "9f2c4e0a7b1d4c3e8a6f5b2d1c0e9f8a") String correlationId) {

    static final java.util.regex.Pattern CORRELATION_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{16,64}");
}
