package dev.sealgate.certprovider.swisssign.cmc;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.sealgate.certprovider.CsrCheck;
import dev.sealgate.certprovider.testkit.TestPki;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cmc.BodyPartID;
import org.bouncycastle.asn1.cmc.CMCFailInfo;
import org.bouncycastle.asn1.cmc.CMCObjectIdentifiers;
import org.bouncycastle.asn1.cmc.CMCStatus;
import org.bouncycastle.asn1.cmc.CMCStatusInfoBuilder;
import org.bouncycastle.asn1.cmc.CMCStatusInfoV2Builder;
import org.bouncycastle.asn1.cmc.GetCert;
import org.bouncycastle.asn1.cmc.OtherMsg;
import org.bouncycastle.asn1.cmc.PKIData;
import org.bouncycastle.asn1.cmc.PKIResponse;
import org.bouncycastle.asn1.cmc.PendInfo;
import org.bouncycastle.asn1.cmc.RevokeRequest;
import org.bouncycastle.asn1.cmc.TaggedAttribute;
import org.bouncycastle.asn1.cmc.TaggedCertificationRequest;
import org.bouncycastle.asn1.cmc.TaggedContentInfo;
import org.bouncycastle.asn1.cmc.TaggedRequest;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * SwissSign's CMC interface as far as the client needs it: a WireMock transformer that reads the
 * Full PKI Request, checks its signature, signs a real certificate for the CSR inside (so it holds
 * the test's own key) and answers a Full PKI Response in a SignedData. Stub parameter {@code mode}:
 * {@code issue} (default), {@code pending} (pending first, issued on queryPending),
 * {@code pendingForever}, {@code failed} (with {@code failInfo} and {@code statusString}),
 * {@code issueV1} (success in a version 1 CMCStatusInfo).
 */
public final class FakeSwissSignCmc implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "fake-swisssign-cmc";

    private final TestPki.TestCa root = TestPki.TestCa.root("SwissSign Test Root");
    private final TestPki.TestCa issuing = root.intermediate("SwissSign Test Personal Issuing CA");
    private final Map<BigInteger, List<X509Certificate>> issued = new ConcurrentHashMap<>();
    private final Map<String, PKCS10CertificationRequest> pending = new ConcurrentHashMap<>();
    final List<RevokeRequest> revocations = new CopyOnWriteArrayList<>();
    final List<X509CertificateHolder> requestSigners = new CopyOnWriteArrayList<>();
    final List<PKCS10CertificationRequest> requestedCsrs = new CopyOnWriteArrayList<>();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        String mode = String.valueOf(event.getTransformerParameters().getOrDefault("mode", "issue"));
        byte[] answer;
        try {
            CMSSignedData request = new CMSSignedData(event.getRequest().getBody());
            if (!signatureVerifies(request)) {
                answer = failed(1, "signature does not verify");
            } else {
                answer = answer(PKIData.getInstance(request.getSignedContent().getContent()), mode, event);
            }
        } catch (Exception e) {
            answer = failed(2, "cannot read request: " + e.getMessage());
        }
        return ResponseDefinitionBuilder.like(event.getResponseDefinition()).but()
                .withHeader("Content-Type", "application/pkcs7-mime").withBody(answer).build();
    }

    private byte[] answer(PKIData data, String mode, ServeEvent event) throws Exception {
        if (mode.equals("failed")) {
            return failed(Integer.parseInt(String.valueOf(event.getTransformerParameters().getOrDefault("failInfo", "2"))),
                    String.valueOf(event.getTransformerParameters().getOrDefault("statusString", "")));
        }
        for (TaggedRequest request : data.getReqSequence()) {
            PKCS10CertificationRequest csr = new PKCS10CertificationRequest(
                    TaggedCertificationRequest.getInstance(request.getValue()).getCertificationRequest().getEncoded());
            requestedCsrs.add(csr);
            if (mode.startsWith("pending")) {
                byte[] token = UUID.randomUUID().toString().getBytes();
                pending.put(HexFormat.of().formatHex(token), csr);
                return pendingAnswer(token);
            }
            return success(issue(csr), mode.equals("issueV1"));
        }
        for (TaggedAttribute control : data.getControlSequence()) {
            ASN1Encodable value = control.getAttrValues().getObjectAt(0);
            if (control.getAttrType().equals(CMCObjectIdentifiers.id_cmc_queryPending)) {
                byte[] token = ASN1OctetString.getInstance(value).getOctets();
                PKCS10CertificationRequest csr = pending.get(HexFormat.of().formatHex(token));
                if (csr == null) {
                    return failed(4, "unknown pendToken");
                }
                return mode.equals("pendingForever") ? pendingAnswer(token) : success(issue(csr), false);
            }
            if (control.getAttrType().equals(CMCObjectIdentifiers.id_cmc_getCert)) {
                List<X509Certificate> chain = issued.get(GetCert.getInstance(value).getSerialNumber());
                return chain == null ? failed(4, "unknown certificate") : success(chain, false);
            }
            if (control.getAttrType().equals(CMCObjectIdentifiers.id_cmc_revokeRequest)) {
                revocations.add(RevokeRequest.getInstance(value));
                return signed(new CMCStatusInfoV2Builder(CMCStatus.success, new BodyPartID(1)).build(), List.of());
            }
        }
        return failed(2, "nothing to do");
    }

    private List<X509Certificate> issue(PKCS10CertificationRequest csr) {
        String address = CsrCheck.addresses(csr).get(0);
        X509Certificate leaf = issuing.issueSmime(csr, address);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        chain.addAll(issuing.chain());
        issued.put(leaf.getSerialNumber(), chain);
        return chain;
    }

    private byte[] success(List<X509Certificate> chain, boolean version1) throws Exception {
        // a CA answers with its certificates in no particular order; the client has to sort them
        List<X509Certificate> shuffled = new ArrayList<>(chain);
        java.util.Collections.reverse(shuffled);
        if (version1) {
            return signed(CMCObjectIdentifiers.id_cmc_statusInfo,
                    new CMCStatusInfoBuilder(CMCStatus.success, new BodyPartID(1)).build(), shuffled);
        }
        return signed(new CMCStatusInfoV2Builder(CMCStatus.success, new BodyPartID(1)).build(), shuffled);
    }

    private byte[] pendingAnswer(byte[] token) throws Exception {
        return signed(new CMCStatusInfoV2Builder(CMCStatus.pending, new BodyPartID(1))
                .setOtherInfo(new PendInfo(token, new ASN1GeneralizedTime(new Date())))
                .setStatusString("waiting for RA approval").build(), List.of());
    }

    private byte[] failed(int failInfo, String text) {
        try {
            CMCStatusInfoV2Builder builder = new CMCStatusInfoV2Builder(CMCStatus.failed, new BodyPartID(1))
                    .setOtherInfo(CMCFailInfo.getInstance(new ASN1Integer(failInfo)));
            if (!text.isEmpty()) {
                builder.setStatusString(text);
            }
            return signed(builder.build(), List.of());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] signed(ASN1Encodable statusInfoV2, List<X509Certificate> certificates) throws Exception {
        return signed(CMCObjectIdentifiers.id_cmc_statusInfoV2, statusInfoV2, certificates);
    }

    private byte[] signed(org.bouncycastle.asn1.ASN1ObjectIdentifier type, ASN1Encodable statusInfo,
            List<X509Certificate> certificates) throws Exception {
        PKIResponse response = new PKIResponse(new TaggedAttribute[] {
                new TaggedAttribute(new BodyPartID(1), type, new DERSet(statusInfo))},
                new TaggedContentInfo[0], new OtherMsg[0]);
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuing.key()), issuing.certificate()));
        List<X509Certificate> all = new ArrayList<>(certificates);
        if (!all.contains(issuing.certificate())) {
            all.add(issuing.certificate());
        }
        generator.addCertificates(new JcaCertStore(all));
        return generator.generate(new CMSProcessableByteArray(CMCObjectIdentifiers.id_cct_PKIResponse,
                response.getEncoded()), true).getEncoded();
    }

    @SuppressWarnings("unchecked")
    private boolean signatureVerifies(CMSSignedData request) throws Exception {
        for (SignerInformation signer : request.getSignerInfos().getSigners()) {
            var matches = request.getCertificates().getMatches(
                    (org.bouncycastle.util.Selector<X509CertificateHolder>) (org.bouncycastle.util.Selector<?>) signer.getSID());
            if (matches.isEmpty() || !signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(matches.iterator().next()))) {
                return false;
            }
            requestSigners.add(matches.iterator().next());
        }
        return !request.getSignerInfos().getSigners().isEmpty();
    }
}
