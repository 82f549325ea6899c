package dev.sealgate.policy;

/** What inbound mail from a partner must carry to be accepted. */
public enum InboundRequirement {
    NONE,
    SIGNED,
    ENCRYPTED,
    SIGNED_AND_ENCRYPTED;

    public boolean needsSignature() {
        return this == SIGNED || this == SIGNED_AND_ENCRYPTED;
    }

    public boolean needsEncryption() {
        return this == ENCRYPTED || this == SIGNED_AND_ENCRYPTED;
    }
}
