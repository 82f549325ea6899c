package dev.sealgate.smime;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.smime.SMIMECapabilities;
import org.bouncycastle.asn1.smime.SMIMECapability;
import org.bouncycastle.asn1.smime.SMIMECapabilityVector;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The S/MIME capabilities a signer advertised (RFC 8551 2.5.2), in the signer's order of preference.
 * The gateway harvests them to choose algorithms when it later encrypts to that signer.
 *
 * @param contentEncryptions content-encryption algorithms we also support, most preferred first
 * @param keyEncryptions     key transport/agreement schemes we recognised
 * @param oids               every capability object identifier as advertised, including unknown ones
 */
public record SmimeCapabilities(List<ContentEncryption> contentEncryptions, Set<KeyEncryption> keyEncryptions,
                                List<String> oids) {

    public SmimeCapabilities {
        contentEncryptions = List.copyOf(contentEncryptions);
        keyEncryptions = Set.copyOf(keyEncryptions);
        oids = List.copyOf(oids);
    }

    /** Nothing advertised. */
    public static SmimeCapabilities none() {
        return new SmimeCapabilities(List.of(), Set.of(), List.of());
    }

    /** The signer's most preferred content encryption that we support. */
    public Optional<ContentEncryption> preferred() {
        return contentEncryptions.stream().findFirst();
    }

    /**
     * The strongest content encryption every recipient can read, judged by what each advertised.
     * A recipient that advertised nothing is assumed to read only the default, AES-256-CBC; when
     * nothing is common, the default is returned (ADR 0011).
     */
    public static ContentEncryption strongestCommon(List<SmimeCapabilities> recipients) {
        List<ContentEncryption> preference = List.of(ContentEncryption.AES256_GCM, ContentEncryption.AES128_GCM,
                ContentEncryption.AES256_CBC, ContentEncryption.AES128_CBC);
        for (ContentEncryption candidate : preference) {
            boolean all = recipients.stream().allMatch(r -> r.contentEncryptions().contains(candidate)
                    || (r.contentEncryptions().isEmpty() && candidate == ContentEncryption.AES256_CBC));
            if (all) {
                return candidate;
            }
        }
        return ContentEncryption.AES256_CBC;
    }

    /** What this engine can decrypt, in our order of preference: advertised when we sign. */
    static SMIMECapabilityVector ours() {
        SMIMECapabilityVector v = new SMIMECapabilityVector();
        v.addCapability(CMSAlgorithm.AES256_GCM);
        v.addCapability(CMSAlgorithm.AES128_GCM);
        v.addCapability(CMSAlgorithm.AES256_CBC);
        v.addCapability(CMSAlgorithm.AES128_CBC);
        v.addCapability(PKCSObjectIdentifiers.id_RSAES_OAEP);
        v.addCapability(PKCSObjectIdentifiers.rsaEncryption);
        v.addCapability(SECObjectIdentifiers.dhSinglePass_stdDH_sha256kdf_scheme);
        return v;
    }

    static SmimeCapabilities from(AttributeTable signedAttributes) {
        if (signedAttributes == null) {
            return none();
        }
        Attribute attr = signedAttributes.get(PKCSObjectIdentifiers.pkcs_9_at_smimeCapabilities);
        if (attr == null || attr.getAttrValues().size() == 0) {
            return none();
        }
        List<ContentEncryption> content = new ArrayList<>();
        Set<KeyEncryption> keys = EnumSet.noneOf(KeyEncryption.class);
        List<String> oids = new ArrayList<>();
        try {
            ASN1Encodable value = attr.getAttrValues().getObjectAt(0);
            for (Object o : SMIMECapabilities.getInstance(value).getCapabilities(null)) {
                ASN1ObjectIdentifier oid = SMIMECapability.getInstance(o).getCapabilityID();
                oids.add(oid.getId());
                ContentEncryption.fromOid(oid.getId()).ifPresent(content::add);
                if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
                    keys.add(KeyEncryption.RSA_PKCS1_V15);
                } else if (oid.equals(PKCSObjectIdentifiers.id_RSAES_OAEP)) {
                    keys.add(KeyEncryption.RSA_OAEP);
                } else if (oid.on(SECObjectIdentifiers.secg_scheme) || oid.equals(X9ObjectIdentifiers.dhSinglePass_stdDH_sha1kdf_scheme)) {
                    keys.add(KeyEncryption.ECDH);
                }
            }
        } catch (RuntimeException malformed) {
            // A signer's broken capability list must not fail verification; it just advertises nothing usable.
            return new SmimeCapabilities(content, keys, oids);
        }
        return new SmimeCapabilities(content, keys, oids);
    }
}
