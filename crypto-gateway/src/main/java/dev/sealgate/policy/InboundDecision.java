package dev.sealgate.policy;

/**
 * What happens to one inbound message: decrypt it or not, verify it or not, deliver or refuse.
 *
 * @param signatureRequired after decryption, the inner content must carry a valid signature (else reject)
 * @param reason            for tracking; names the partner and the fix when the message is refused
 */
public record InboundDecision(Action action, boolean decrypt, boolean verify, boolean signatureRequired, String reason) {

    public enum Action {
        DELIVER,
        /** Deliver as it came, still encrypted, for the recipient's own client. */
        DELIVER_ENCRYPTED,
        REJECT
    }

    /**
     * What the gateway found on the message.
     *
     * @param keyHeld the store holds a private key for one of the message's recipient infos
     */
    public record Facts(boolean encrypted, boolean keyHeld, boolean signed) {
    }

    /**
     * @param senderPolicy    the partner's policy (what its mail must carry)
     * @param recipientPolicy the own user's policy (what to do with undecryptable mail, whether to verify)
     */
    public static InboundDecision decide(EffectivePolicy senderPolicy, EffectivePolicy recipientPolicy, Facts facts) {
        InboundRequirement requirement = senderPolicy.inboundRequirement();
        boolean verify = facts.signed() && recipientPolicy.inboundVerify();
        if (requirement.needsEncryption() && !facts.encrypted()) {
            return new InboundDecision(Action.REJECT, false, false, false, "mail from " + senderPolicy.address()
                    + " must be encrypted (policy " + requirement + ") but came unencrypted");
        }
        if (requirement.needsSignature() && !facts.signed() && !facts.encrypted()) {
            return new InboundDecision(Action.REJECT, false, false, false, "mail from " + senderPolicy.address()
                    + " must be signed (policy " + requirement + ") but came unsigned");
        }
        if (facts.encrypted() && !facts.keyHeld()) {
            return recipientPolicy.inboundUndecryptable() == UndecryptableAction.REJECT
                    ? new InboundDecision(Action.REJECT, false, false, false, "no key to decrypt mail for "
                            + recipientPolicy.address() + "; import its certificate with the private key (PKCS#12)")
                    : new InboundDecision(Action.DELIVER_ENCRYPTED, false, false, false, "no key to decrypt mail for "
                            + recipientPolicy.address() + "; delivered encrypted");
        }
        boolean signatureRequired = requirement.needsSignature();
        return new InboundDecision(Action.DELIVER, facts.encrypted(),
                signatureRequired || verify || (facts.encrypted() && recipientPolicy.inboundVerify()), signatureRequired,
                facts.encrypted() ? "decrypt with the held key" : "accepted");
    }
}
