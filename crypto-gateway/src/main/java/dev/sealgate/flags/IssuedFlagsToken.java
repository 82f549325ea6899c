package dev.sealgate.flags;

import java.time.Instant;

/**
 * A signed flags token as the add-in receives it.
 *
 * @param token     compact JWS, the value of the {@code X-Sealgate-Flags} header
 * @param nonce     unique id of this token ({@code jti})
 * @param expiresAt after this instant the gateway no longer honours the token
 */
public record IssuedFlagsToken(String token, String nonce, Instant expiresAt) {
}
