package dev.sealgate.certprovider.swisssign.rest;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.sealgate.certprovider.CsrCheck;
import dev.sealgate.certprovider.testkit.TestPki;
import java.io.StringReader;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The parts of SwissSign's RA API that issue: a WireMock transformer that signs a real certificate
 * for the CSR it receives (so the certificate holds the test's own public key) and serves its chain.
 * Bodies follow api.yaml 3.4.4: CertificateOrder for issue, an array of base64 DER for the chain.
 * Stubs pick it with {@code withTransformers(FakeSwissSignRaApi.NAME)}; the parameter
 * {@code status} sets the order status the issue answer carries (default NEW).
 */
public final class FakeSwissSignRaApi implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "fake-swisssign-ra-api";
    public static final String PRODUCT = "pma-123e4567-e89b-12d3-a456-426614174000";
    private static final Pattern CHAIN = Pattern.compile("/v2/order/(ord-[0-9a-f-]{36})/certificate/chain");

    private final TestPki.TestCa root = TestPki.TestCa.root("SwissSign Test Root");
    private final TestPki.TestCa issuing = root.intermediate("SwissSign Test Personal Issuing CA");
    private final Map<String, List<X509Certificate>> orders = new ConcurrentHashMap<>();

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
        String url = event.getRequest().getUrl();
        ResponseDefinition stub = event.getResponseDefinition();
        Matcher chain = CHAIN.matcher(url);
        if (url.startsWith("/v2/issue/csr/")) {
            PKCS10CertificationRequest csr = parseCsr(event.getRequest().getBodyAsString());
            String address = CsrCheck.addresses(csr).get(0);
            String orderId = "ord-" + UUID.randomUUID();
            List<X509Certificate> certificates = new ArrayList<>();
            certificates.add(issuing.issueSmime(csr, address));
            certificates.addAll(issuing.chain());
            orders.put(orderId, certificates);
            String status = String.valueOf(event.getTransformerParameters().getOrDefault("status", "NEW"));
            String chainField = status.equals("ISSUED") ? ",\"certificateChain\":" + chainJson(certificates) : "";
            return ResponseDefinitionBuilder.like(stub).but().withBody("{\"uuid\":\"" + orderId
                    + "\",\"createdOn\":\"2026-11-23T04:00:00Z\",\"status\":\"" + status
                    + "\",\"clientReference\":\"cli-123e4567-e89b-12d3-a456-426614174000\",\"productReference\":\""
                    + PRODUCT + "\"" + chainField + "}").build();
        }
        if (chain.matches() && orders.containsKey(chain.group(1))) {
            return ResponseDefinitionBuilder.like(stub).but().withBody(chainJson(orders.get(chain.group(1)))).build();
        }
        return ResponseDefinitionBuilder.like(stub).but().withStatus(404).withBody("{\"uuid\":\"" + UUID.randomUUID()
                + "\",\"errorCode\":\"<404.000.0001>\",\"errorMessages\":[\"unknown order\"]}").build();
    }

    private static String chainJson(List<X509Certificate> certificates) {
        List<String> base64 = new ArrayList<>();
        for (X509Certificate certificate : certificates) {
            base64.add("\"" + encode(certificate) + "\"");
        }
        return "[" + String.join(",", base64) + "]";
    }

    private static PKCS10CertificationRequest parseCsr(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            return (PKCS10CertificationRequest) parser.readObject();
        } catch (Exception e) {
            throw new IllegalStateException("fake RA API got no PEM CSR", e);
        }
    }

    private static String encode(X509Certificate certificate) {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
