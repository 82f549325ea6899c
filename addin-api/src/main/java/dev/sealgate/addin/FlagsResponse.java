package dev.sealgate.addin;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

@Schema(description = "A signed flags token to set as internet header")
public record FlagsResponse(
        @Schema(example = "X-Sealgate-Flags") String header,
        @Schema(description = "Compact ES256 JWS", example = "eyJraWQiOiJ...") String token,
        @Schema(example = "2026-05-05T10:00:00Z") Instant expiresAt) {
}
