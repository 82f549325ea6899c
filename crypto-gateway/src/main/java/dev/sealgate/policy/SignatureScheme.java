package dev.sealgate.policy;

/** How an RSA signing key signs a sender's outbound mail; EC keys always sign with ECDSA. */
public enum SignatureScheme {
    /** RSA PKCS#1 v1.5: read by every S/MIME client (the default). */
    RSA_PKCS1_V1_5,
    /** RSASSA-PSS (RFC 4056): the modern scheme; check that the partners' clients read it. */
    RSASSA_PSS
}
