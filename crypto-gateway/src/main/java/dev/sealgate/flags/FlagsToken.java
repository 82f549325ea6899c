package dev.sealgate.flags;

/** Names shared by the issuer and the verifier of {@code X-Sealgate-Flags} tokens. */
public final class FlagsToken {

    /** The internet header the add-in sets. The gateway removes it before the message leaves. */
    public static final String HEADER = "X-Sealgate-Flags";
    /**
     * The short header the add-in sets beside {@link #HEADER}: a random id under which the service stored the
     * same flags for the sender, for when Outlook drops the long token. The gateway removes it too.
     */
    public static final String CORRELATION_HEADER = "X-Sealgate-Correlation";
    /** JOSE type of a flags token, so no other JWS signed with the same key passes as one. */
    public static final String TYPE = "sealgate-flags+jwt";
    static final String CLAIM_FLAGS = "flags";
    static final String CLAIM_MESSAGE_ID = "mid";
    static final String FLAG_ENCRYPT = "encrypt";
    static final String FLAG_SIGN = "sign";
    static final String FLAG_LARGE_FILES = "large-files";

    private FlagsToken() {
    }
}
