package dev.sealgate.policy;

/** How the content-encryption key is wrapped for one recipient. */
public enum KeyEncryption {
    /** RSAES-OAEP (RFC 8017), only for recipients that advertised it. */
    RSAES_OAEP,
    /** RSA PKCS#1 v1.5, what every S/MIME client reads. */
    RSA_PKCS1_V1_5,
    /** Key agreement for EC certificates (ECDH with AES key wrap). */
    ECDH
}
