package dev.sealgate.policy;

/**
 * The crypto settings of one scope (global, a domain, an address). A null field inherits from the
 * wider scope: address from domain, domain from global, global from {@link #DEFAULTS}.
 *
 * @param outboundSigning            whether the sender's outbound mail is signed
 * @param stripClientSignatures      remove signatures the mail client made before the gateway signs
 * @param outboundEncryption         whether mail to the recipient is encrypted
 * @param missingCertificate         what happens when a must-encrypt recipient has no usable certificate
 * @param allowUntrustedCertificates encrypt with harvested certificates that chain to no trust anchor
 * @param encryptMeetingRequests     encrypt text/calendar meeting requests (off: Outlook cannot
 *                                   process encrypted invitations), unless encryption is mandatory
 * @param contentEncryption          pins the content-encryption algorithm for a partner
 * @param keyEncryption              pins the key-encryption algorithm for a partner (RSA certificates)
 * @param autoEnroll                 get certificates for own users from their provider without asking
 * @param inboundUndecryptable       inbound encrypted mail for which no key is held
 * @param inboundVerify              verify inbound signatures
 * @param inboundRequirement         what a partner's inbound mail must carry
 * @param signatureFormat            the shape of the signature on the sender's outbound mail
 * @param signatureScheme            how the sender's RSA key signs outbound mail
 * @param allowWeakSignatures        a partner's transition allowance: its inbound signatures with SHA-1, MD5 or
 *                                   RSA keys under 2048 bits still count as valid (each use is an event)
 */
public record CryptoPolicy(
        SigningMode outboundSigning,
        Boolean stripClientSignatures,
        EncryptionMode outboundEncryption,
        MissingCertificateAction missingCertificate,
        Boolean allowUntrustedCertificates,
        Boolean encryptMeetingRequests,
        ContentEncryption contentEncryption,
        KeyEncryption keyEncryption,
        Boolean autoEnroll,
        UndecryptableAction inboundUndecryptable,
        Boolean inboundVerify,
        InboundRequirement inboundRequirement,
        SignatureFormat signatureFormat,
        SignatureScheme signatureScheme,
        Boolean allowWeakSignatures) {

    /**
     * Built-in defaults (also written as the global row on first start): sign every own sender,
     * enrolling its certificate on the fly (ADR 0091), detached with RSA PKCS#1 v1.5, encrypt
     * opportunistically, auto-enroll, decrypt and verify inbound, no weak signatures.
     */
    public static final CryptoPolicy DEFAULTS = new CryptoPolicy(SigningMode.AUTO, false,
            EncryptionMode.OPPORTUNISTIC, MissingCertificateAction.REJECT, false, false, null, null, true,
            UndecryptableAction.DELIVER_ENCRYPTED, true, InboundRequirement.NONE, SignatureFormat.DETACHED,
            SignatureScheme.RSA_PKCS1_V1_5, false);

    /** Nothing set: inherits everything. */
    public static final CryptoPolicy INHERIT = new CryptoPolicy(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null);

    /**
     * The settings that existed before the signature shape, scheme and weak-signature allowance
     * (issue 9); those three inherit.
     */
    public CryptoPolicy(SigningMode outboundSigning, Boolean stripClientSignatures, EncryptionMode outboundEncryption,
                        MissingCertificateAction missingCertificate, Boolean allowUntrustedCertificates,
                        Boolean encryptMeetingRequests, ContentEncryption contentEncryption, KeyEncryption keyEncryption,
                        Boolean autoEnroll, UndecryptableAction inboundUndecryptable, Boolean inboundVerify,
                        InboundRequirement inboundRequirement) {
        this(outboundSigning, stripClientSignatures, outboundEncryption, missingCertificate, allowUntrustedCertificates,
                encryptMeetingRequests, contentEncryption, keyEncryption, autoEnroll, inboundUndecryptable, inboundVerify,
                inboundRequirement, null, null, null);
    }

    /** This policy with every field that {@code narrower} sets taken from it. */
    public CryptoPolicy overriddenBy(CryptoPolicy narrower) {
        return new CryptoPolicy(
                pick(narrower.outboundSigning, outboundSigning),
                pick(narrower.stripClientSignatures, stripClientSignatures),
                pick(narrower.outboundEncryption, outboundEncryption),
                pick(narrower.missingCertificate, missingCertificate),
                pick(narrower.allowUntrustedCertificates, allowUntrustedCertificates),
                pick(narrower.encryptMeetingRequests, encryptMeetingRequests),
                pick(narrower.contentEncryption, contentEncryption),
                pick(narrower.keyEncryption, keyEncryption),
                pick(narrower.autoEnroll, autoEnroll),
                pick(narrower.inboundUndecryptable, inboundUndecryptable),
                pick(narrower.inboundVerify, inboundVerify),
                pick(narrower.inboundRequirement, inboundRequirement),
                pick(narrower.signatureFormat, signatureFormat),
                pick(narrower.signatureScheme, signatureScheme),
                pick(narrower.allowWeakSignatures, allowWeakSignatures));
    }

    private static <T> T pick(T narrower, T wider) {
        return narrower != null ? narrower : wider;
    }
}
