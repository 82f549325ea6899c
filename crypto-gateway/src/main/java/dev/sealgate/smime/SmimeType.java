package dev.sealgate.smime;

/** What a message (or MIME part) is, as far as S/MIME is concerned. */
public enum SmimeType {
    SIGNED_DETACHED,
    SIGNED_OPAQUE,
    ENVELOPED,
    AUTH_ENVELOPED,
    /** application/pkcs7-mime; smime-type=certs-only: a certificate transport, nothing to decrypt or verify. */
    CERTS_ONLY,
    PLAIN;

    /** True for both signed shapes. */
    public boolean signed() {
        return this == SIGNED_DETACHED || this == SIGNED_OPAQUE;
    }

    /** True for both encrypted shapes. */
    public boolean encrypted() {
        return this == ENVELOPED || this == AUTH_ENVELOPED;
    }
}
