package dev.sealgate.addin;

/** What the gateway would do with a recipient if the sender asks for encryption. */
public enum EncryptionOutcome {
    /** encrypted with the recipient's certificate (or delivered internally, where the company server takes over) */
    ENCRYPTED,
    /** no usable certificate: delivered through the fallback (e.g. the web portal) */
    FALLBACK,
    /** no usable certificate and no fallback: the message would be rejected */
    REJECTED
}
