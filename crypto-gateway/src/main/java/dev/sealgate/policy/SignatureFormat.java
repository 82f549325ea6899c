package dev.sealgate.policy;

/** The shape of the signature on a sender's outbound mail. */
public enum SignatureFormat {
    /** multipart/signed: readable by any mail client, S/MIME or not (the default). */
    DETACHED,
    /** application/pkcs7-mime; smime-type=signed-data: survives relays that rewrite MIME, readable only with S/MIME. */
    OPAQUE
}
