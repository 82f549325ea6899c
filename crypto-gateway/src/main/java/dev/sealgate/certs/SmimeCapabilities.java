package dev.sealgate.certs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.smime.SMIMECapability;

/**
 * The algorithms a partner advertised in the SMIMECapabilities signed attribute (RFC 8551 2.5.2),
 * in the partner's order of preference. Kept in its encoded form in the store and read back as
 * a list of algorithm OIDs.
 */
public record SmimeCapabilities(List<String> algorithms) {

    public static final String AES256_GCM = "2.16.840.1.101.3.4.1.46";
    public static final String AES128_GCM = "2.16.840.1.101.3.4.1.6";
    public static final String AES256_CBC = "2.16.840.1.101.3.4.1.42";
    public static final String AES128_CBC = "2.16.840.1.101.3.4.1.2";
    public static final String RSAES_OAEP = "1.2.840.113549.1.1.7";

    public SmimeCapabilities {
        algorithms = List.copyOf(algorithms);
    }

    public static SmimeCapabilities none() {
        return new SmimeCapabilities(List.of());
    }

    public static SmimeCapabilities of(String... oids) {
        return new SmimeCapabilities(List.of(oids));
    }

    /** Reads the DER encoding of the attribute value (a SEQUENCE OF SMIMECapability). */
    public static SmimeCapabilities decode(byte[] der) {
        try {
            ASN1Sequence sequence = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
            List<String> oids = new ArrayList<>();
            for (ASN1Encodable element : sequence) {
                oids.add(SMIMECapability.getInstance(element).getCapabilityID().getId());
            }
            return new SmimeCapabilities(oids);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an SMIMECapabilities attribute value: " + e.getMessage(), e);
        }
    }

    public byte[] encode() {
        ASN1EncodableVector vector = new ASN1EncodableVector();
        for (String oid : algorithms) {
            vector.add(new SMIMECapability(new ASN1ObjectIdentifier(oid), null));
        }
        try {
            return new DERSequence(vector).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("could not encode SMIMECapabilities", e);
        }
    }

    public boolean advertises(String oid) {
        return algorithms.contains(oid);
    }
}
