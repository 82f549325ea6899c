package dev.sealgate.smime;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;

/** Message digest of a signature; the name is also the {@code micalg} value of multipart/signed. */
public enum DigestAlgorithm {
    SHA256("SHA256", "sha-256", NISTObjectIdentifiers.id_sha256),
    SHA384("SHA384", "sha-384", NISTObjectIdentifiers.id_sha384),
    SHA512("SHA512", "sha-512", NISTObjectIdentifiers.id_sha512);

    private final String jcaPrefix;
    private final String micalg;
    private final ASN1ObjectIdentifier oid;

    DigestAlgorithm(String jcaPrefix, String micalg, ASN1ObjectIdentifier oid) {
        this.jcaPrefix = jcaPrefix;
        this.micalg = micalg;
        this.oid = oid;
    }

    String jcaPrefix() {
        return jcaPrefix;
    }

    /** The RFC 8551 {@code micalg} parameter value. */
    public String micalg() {
        return micalg;
    }

    ASN1ObjectIdentifier oid() {
        return oid;
    }
}
