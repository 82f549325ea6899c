package dev.sealgate.smime;

/** Shape of a signed message. */
public enum SignatureFormat {
    /** multipart/signed: readable without S/MIME support (the default). */
    DETACHED,
    /** application/pkcs7-mime; smime-type=signed-data: survives gateways that rewrite MIME. */
    OPAQUE
}
