package dev.sealgate.flags;

import java.time.Instant;

/** The gateway's answer for one {@code X-Sealgate-Flags} header: the flags to apply, or why there are none. */
public sealed interface FlagsVerification {

    /** Why a header does not yield flags; the gateway records it and applies the policy without the add-in's flags. */
    enum Reason {
        /** no header (Outlook may drop it: look the flags up in {@link MessageFlagsStore}) */
        MISSING,
        /** not a compact JWS of the expected type and algorithm */
        MALFORMED,
        /** unknown key id or a signature that does not verify */
        FORGED,
        /** expired, or issued in the future */
        EXPIRED,
        /** issued for another sender or another Message-ID than the message carries */
        MISMATCHED,
        /** valid, but already honoured for another message */
        REPLAYED
    }

    record Valid(MessageFlags flags, String sender, String nonce, String messageId, Instant expiresAt)
            implements FlagsVerification {
    }

    /** @param detail one line for the event log: what was wrong, never the token itself */
    record Rejected(Reason reason, String detail) implements FlagsVerification {
    }
}
