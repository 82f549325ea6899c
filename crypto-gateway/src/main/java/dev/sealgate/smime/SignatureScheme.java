package dev.sealgate.smime;

/**
 * How an RSA key signs. EC keys always sign with ECDSA, whatever is chosen here.
 */
public enum SignatureScheme {
    /** RSA PKCS#1 v1.5: read by every S/MIME client. */
    RSA_PKCS1_V15,
    /** RSASSA-PSS with MGF1 over the same digest and a salt as long as the digest (RFC 4056). */
    RSA_PSS
}
