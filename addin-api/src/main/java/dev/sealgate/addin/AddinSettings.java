package dev.sealgate.addin;

import io.swagger.v3.oas.annotations.media.Schema;

/** What the task pane shows one user. */
@Schema(description = "Buttons, their default states and the limits for one user")
public record AddinSettings(
        @Schema(description = "The authenticated user", example = "alice@example.org") String user,
        Button encrypt,
        Button sign,
        Button largeFiles,
        @Schema(description = "The user may switch encryption off although it is on by default") boolean mayDisableEncryption,
        @Schema(description = "Attachments at or above this size (bytes) are offered as download links", example = "10485760")
        long largeFileThresholdBytes,
        @Schema(description = "Largest file the service accepts (bytes)", example = "2147483648") long maxFileSizeBytes,
        @Schema(description = "Shortest link expiry the user may choose (days)", example = "1") int minExpiryDays,
        @Schema(description = "Default link expiry (days)", example = "14") int defaultExpiryDays,
        @Schema(description = "Longest link expiry the user may choose (days)", example = "90") int maxExpiryDays) {

    /**
     * @param visible  the button is shown
     * @param pressed  its state when a message is opened
     */
    public record Button(boolean visible, boolean pressed) {
    }
}
