package dev.sealgate.policy;

/**
 * What the sender asked for on one message (add-in flags or subject flags): TRUE asks for it,
 * FALSE asks to leave it out, null leaves it to the policy. A request never weakens a mandatory policy.
 */
public record ProtectionRequest(Boolean encrypt, Boolean sign) {

    public static final ProtectionRequest NONE = new ProtectionRequest(null, null);

    /** Combines two sources (add-in and subject); where both speak, a request for protection wins. */
    public ProtectionRequest and(ProtectionRequest other) {
        return new ProtectionRequest(stronger(encrypt, other.encrypt), stronger(sign, other.sign));
    }

    private static Boolean stronger(Boolean a, Boolean b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a || b;
    }
}
