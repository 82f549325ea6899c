package dev.sealgate.certprovider.swisssign.cmc;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cmc.BodyPartID;
import org.bouncycastle.asn1.cmc.CMCObjectIdentifiers;
import org.bouncycastle.asn1.cmc.CMCStatusInfo;
import org.bouncycastle.asn1.cmc.CMCStatusInfoV2;
import org.bouncycastle.asn1.cmc.CertificationRequest;
import org.bouncycastle.asn1.cmc.OtherMsg;
import org.bouncycastle.asn1.cmc.OtherStatusInfo;
import org.bouncycastle.asn1.cmc.PKIData;
import org.bouncycastle.asn1.cmc.PKIResponse;
import org.bouncycastle.asn1.cmc.PendInfo;
import org.bouncycastle.asn1.cmc.TaggedAttribute;
import org.bouncycastle.asn1.cmc.TaggedCertificationRequest;
import org.bouncycastle.asn1.cmc.TaggedContentInfo;
import org.bouncycastle.asn1.cmc.TaggedRequest;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.Selector;

/**
 * CMC (RFC 5272) as the SwissSign CMC interface speaks it: a Full PKI Request is a PKIData inside a
 * CMS SignedData (eContentType id-cct-PKIData), signed by the RA, i.e. with the MPKI access
 * ("AutoRAO") key; the Full PKI Response is a PKIResponse (id-cct-PKIResponse) in a SignedData whose
 * certificates field carries the issued certificate and its chain.
 */
final class CmcMessages {

    /** RFC 5272 section 6.1.4 CMCFailInfo names, for messages. */
    static final Map<Integer, String> FAIL_INFO = Map.ofEntries(Map.entry(0, "badAlg"), Map.entry(1, "badMessageCheck"),
            Map.entry(2, "badRequest"), Map.entry(3, "badTime"), Map.entry(4, "badCertId"),
            Map.entry(5, "unsupportedExt"), Map.entry(6, "mustArchiveKeys"), Map.entry(7, "badIdentity"),
            Map.entry(8, "popRequired"), Map.entry(9, "popFailed"), Map.entry(10, "noKeyReuse"),
            Map.entry(11, "internalCAError"), Map.entry(12, "tryLater"), Map.entry(13, "authDataFail"));

    static final int SUCCESS = 0;
    static final int FAILED = 2;
    static final int PENDING = 3;

    /** What a Full PKI Response says: status, why, the pending token, the certificates. */
    record Response(int status, String statusString, Integer failInfo, byte[] pendToken,
            List<X509Certificate> certificates) {
    }

    static final class MalformedResponseException extends Exception {
        MalformedResponseException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private CmcMessages() {
    }

    /** A Full PKI Request carrying the CSR as TaggedRequest body part 1. */
    static byte[] certificationRequest(PKCS10CertificationRequest csr, PrivateKey signingKey,
            List<X509Certificate> signerChain) throws IOException {
        TaggedRequest request = new TaggedRequest(new TaggedCertificationRequest(new BodyPartID(1),
                CertificationRequest.getInstance(csr.getEncoded())));
        return signed(new PKIData(new TaggedAttribute[0], new TaggedRequest[] {request}, new TaggedContentInfo[0],
                new OtherMsg[0]), signingKey, signerChain);
    }

    /** A Full PKI Request with one control and no request: revokeRequest, queryPending, getCert. */
    static byte[] controlRequest(ASN1ObjectIdentifier control, ASN1Encodable value, PrivateKey signingKey,
            List<X509Certificate> signerChain) throws IOException {
        TaggedAttribute attribute = new TaggedAttribute(new BodyPartID(1), control, new DERSet(value));
        return signed(new PKIData(new TaggedAttribute[] {attribute}, new TaggedRequest[0], new TaggedContentInfo[0],
                new OtherMsg[0]), signingKey, signerChain);
    }

    private static byte[] signed(PKIData data, PrivateKey key, List<X509Certificate> chain) throws IOException {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(new JcaContentSignerBuilder(algorithm).build(key), chain.get(0)));
            generator.addCertificates(new JcaCertStore(chain));
            CMSTypedData content = new CMSProcessableByteArray(CMCObjectIdentifiers.id_cct_PKIData, data.getEncoded());
            return generator.generate(content, true).getEncoded();
        } catch (Exception e) {
            throw new IOException("cannot sign the CMC request with the access certificate's key: " + e.getMessage(), e);
        }
    }

    /** Parses a Full PKI Response and checks its signature against the signer certificate it carries. */
    static Response parse(byte[] der) throws MalformedResponseException {
        try {
            CMSSignedData signed = new CMSSignedData(der);
            if (!CMCObjectIdentifiers.id_cct_PKIResponse.equals(signed.getSignedContentTypeOID() == null ? null
                    : new ASN1ObjectIdentifier(signed.getSignedContentTypeOID()))) {
                throw new MalformedResponseException("a SignedData that holds no PKIResponse", null);
            }
            verifySigners(signed);
            PKIResponse response = PKIResponse.getInstance(signed.getSignedContent().getContent());
            List<X509Certificate> certificates = new ArrayList<>();
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (X509CertificateHolder holder : signed.getCertificates().getMatches(all())) {
                certificates.add(converter.getCertificate(holder));
            }
            for (ASN1Encodable element : response.getControlSequence()) {
                TaggedAttribute control = TaggedAttribute.getInstance(element);
                ASN1Encodable value = control.getAttrValues().getObjectAt(0);
                if (CMCObjectIdentifiers.id_cmc_statusInfoV2.equals(control.getAttrType())) {
                    return fromV2(CMCStatusInfoV2.getInstance(value), certificates);
                }
                if (CMCObjectIdentifiers.id_cmc_statusInfo.equals(control.getAttrType())) {
                    return fromV1(CMCStatusInfo.getInstance(value), certificates);
                }
            }
            throw new MalformedResponseException("a PKIResponse without CMCStatusInfo or CMCStatusInfoV2", null);
        } catch (MalformedResponseException e) {
            throw e;
        } catch (CMSException | CertificateException | RuntimeException e) {
            throw new MalformedResponseException("malformed DER (not a CMC Full PKI Response)", e);
        }
    }

    private static void verifySigners(CMSSignedData signed) throws MalformedResponseException {
        try {
            for (SignerInformation signer : signed.getSignerInfos().getSigners()) {
                @SuppressWarnings("unchecked")
                Selector<X509CertificateHolder> selector = (Selector<X509CertificateHolder>) (Selector<?>) signer.getSID();
                var matches = signed.getCertificates().getMatches(selector);
                if (matches.isEmpty()) {
                    throw new MalformedResponseException("a SignedData whose signer certificate is missing", null);
                }
                if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(matches.iterator().next()))) {
                    throw new MalformedResponseException("a SignedData whose signature does not verify", null);
                }
            }
        } catch (MalformedResponseException e) {
            throw e;
        } catch (Exception e) {
            throw new MalformedResponseException("a SignedData whose signature does not verify", e);
        }
    }

    private static Response fromV2(CMCStatusInfoV2 info, List<X509Certificate> certificates) {
        Integer failInfo = null;
        byte[] pendToken = null;
        if (info.hasOtherInfo()) {
            OtherStatusInfo other = info.getOtherStatusInfo();
            ASN1Primitive value = other.toASN1Primitive();
            if (other.isFailInfo()) {
                failInfo = ASN1Integer.getInstance(value).intValueExact();
            } else if (other.isPendingInfo()) {
                pendToken = PendInfo.getInstance(value).getPendToken();
            }
        }
        return new Response(status(info.getCMCStatus()), text(info.getStatusStringUTF8()), failInfo, pendToken, certificates);
    }

    private static Response fromV1(CMCStatusInfo info, List<X509Certificate> certificates) {
        Integer failInfo = null;
        byte[] pendToken = null;
        if (info.hasOtherInfo()) {
            ASN1Primitive value = info.getOtherInfo().toASN1Primitive();
            if (info.getOtherInfo().isFailInfo()) {
                failInfo = ASN1Integer.getInstance(value).intValueExact();
            } else {
                pendToken = PendInfo.getInstance(value).getPendToken();
            }
        }
        return new Response(status(info.getCMCStatus()), text(info.getStatusStringUTF8()), failInfo, pendToken, certificates);
    }

    private static int status(ASN1Encodable status) {
        return ASN1Integer.getInstance(status.toASN1Primitive()).intValueExact();
    }

    private static String text(org.bouncycastle.asn1.ASN1UTF8String text) {
        return text == null ? "" : text.getString();
    }

    private static Selector<X509CertificateHolder> all() {
        return new Selector<>() {
            @Override
            public boolean match(X509CertificateHolder holder) {
                return true;
            }

            @Override
            public Object clone() {
                return this;
            }
        };
    }
}
