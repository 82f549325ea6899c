package dev.sealgate.policy;

import dev.sealgate.certs.SmimeCapabilities;

/** The content-encryption algorithm of an enveloped message. */
public enum ContentEncryption {
    /** AuthEnvelopedData (RFC 5083), only for recipients that advertised it. */
    AES_256_GCM(SmimeCapabilities.AES256_GCM),
    /** EnvelopedData, what every S/MIME client reads. */
    AES_256_CBC(SmimeCapabilities.AES256_CBC);

    private final String oid;

    ContentEncryption(String oid) {
        this.oid = oid;
    }

    public String oid() {
        return oid;
    }
}
