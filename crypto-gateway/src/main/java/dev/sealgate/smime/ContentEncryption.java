package dev.sealgate.smime;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;

import java.util.Optional;

/** Content-encryption algorithm of an encrypted message. GCM variants produce authenticated-enveloped-data (RFC 5083/5084). */
public enum ContentEncryption {
    AES128_CBC(CMSAlgorithm.AES128_CBC, false),
    AES256_CBC(CMSAlgorithm.AES256_CBC, false),
    AES128_GCM(CMSAlgorithm.AES128_GCM, true),
    AES256_GCM(CMSAlgorithm.AES256_GCM, true);

    private final ASN1ObjectIdentifier oid;
    private final boolean authenticated;

    ContentEncryption(ASN1ObjectIdentifier oid, boolean authenticated) {
        this.oid = oid;
        this.authenticated = authenticated;
    }

    /** True for AES-GCM, which yields authenticated-enveloped-data. */
    public boolean authenticated() {
        return authenticated;
    }

    ASN1ObjectIdentifier oid() {
        return oid;
    }

    /** The algorithm with this object identifier, if it is one we support. */
    public static Optional<ContentEncryption> fromOid(String oid) {
        for (ContentEncryption c : values()) {
            if (c.oid.getId().equals(oid)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
