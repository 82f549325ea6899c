package dev.sealgate.policy;

import java.util.Objects;

/**
 * The crypto policy that applies to one address after inheritance (address, domain, global,
 * built-in defaults); every setting has a value except the optional algorithm pins.
 */
public record EffectivePolicy(String address, CryptoPolicy settings) {

    public EffectivePolicy {
        Objects.requireNonNull(settings.outboundSigning(), "outboundSigning");
        Objects.requireNonNull(settings.outboundEncryption(), "outboundEncryption");
        Objects.requireNonNull(settings.missingCertificate(), "missingCertificate");
        Objects.requireNonNull(settings.inboundUndecryptable(), "inboundUndecryptable");
        Objects.requireNonNull(settings.inboundRequirement(), "inboundRequirement");
    }

    /** A policy with the given settings over the built-in defaults, for tests and callers without storage. */
    public static EffectivePolicy of(String address, CryptoPolicy settings) {
        return new EffectivePolicy(address, CryptoPolicy.DEFAULTS.overriddenBy(settings));
    }

    public SigningMode outboundSigning() {
        return settings.outboundSigning();
    }

    public boolean stripClientSignatures() {
        return Boolean.TRUE.equals(settings.stripClientSignatures());
    }

    public EncryptionMode outboundEncryption() {
        return settings.outboundEncryption();
    }

    public MissingCertificateAction missingCertificate() {
        return settings.missingCertificate();
    }

    public boolean allowUntrustedCertificates() {
        return Boolean.TRUE.equals(settings.allowUntrustedCertificates());
    }

    public boolean encryptMeetingRequests() {
        return Boolean.TRUE.equals(settings.encryptMeetingRequests());
    }

    public boolean autoEnroll() {
        return Boolean.TRUE.equals(settings.autoEnroll());
    }

    public UndecryptableAction inboundUndecryptable() {
        return settings.inboundUndecryptable();
    }

    public boolean inboundVerify() {
        return !Boolean.FALSE.equals(settings.inboundVerify());
    }

    public InboundRequirement inboundRequirement() {
        return settings.inboundRequirement();
    }

    public SignatureFormat signatureFormat() {
        return settings.signatureFormat() == null ? SignatureFormat.DETACHED : settings.signatureFormat();
    }

    public SignatureScheme signatureScheme() {
        return settings.signatureScheme() == null ? SignatureScheme.RSA_PKCS1_V1_5 : settings.signatureScheme();
    }

    public boolean allowWeakSignatures() {
        return Boolean.TRUE.equals(settings.allowWeakSignatures());
    }
}
