package dev.sealgate.smime;

/** How the content-encryption key reaches one recipient. */
public enum KeyEncryption {
    /** RSA key transport, PKCS#1 v1.5 padding: read by every S/MIME client (the default for RSA keys). */
    RSA_PKCS1_V15,
    /** RSA key transport, RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 8017, RFC 4055). */
    RSA_OAEP,
    /** Ephemeral-static ECDH, X9.63 KDF with SHA-256, AES key wrap (RFC 5753); the only choice for EC keys. */
    ECDH
}
