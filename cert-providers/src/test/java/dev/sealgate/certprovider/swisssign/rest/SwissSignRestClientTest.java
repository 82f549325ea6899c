package dev.sealgate.certprovider.swisssign.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import dev.sealgate.certprovider.CertificateProvider;
import dev.sealgate.certprovider.CertificateProviderContract;
import dev.sealgate.certprovider.EnrollmentRequest;
import dev.sealgate.certprovider.EnrollmentResult;
import dev.sealgate.certprovider.RevocationReason;
import dev.sealgate.certprovider.testkit.TestPki;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The provider contract against a WireMock RA API that signs real certificates for the CSRs it gets. */
class SwissSignRestClientTest implements CertificateProviderContract {

    private RaApiFixture raApi;
    private SwissSignRestClient client;

    @BeforeEach
    void startRaApi() {
        raApi = new RaApiFixture().stubOrderThatGoesThrough();
        client = raApi.client();
    }

    @AfterEach
    void stopRaApi() {
        raApi.close();
    }

    @Override
    public CertificateProvider provider() {
        return client;
    }

    @Test
    void shouldTakeTheChainFromAnIssueAnswerThatIsAlreadyIssued() throws Exception {
        raApi.server.stubFor(post(urlPathEqualTo("/v2/issue/csr/" + FakeSwissSignRaApi.PRODUCT))
                .willReturn(RaApiFixture.json(200, "").withTransformers(FakeSwissSignRaApi.NAME)
                        .withTransformerParameter("status", "ISSUED")));
        KeyPair keys = TestPki.ecKeyPair();

        EnrollmentResult result = client.enroll(new EnrollmentRequest(ADDRESS, TestPki.csr(keys, ADDRESS)));

        assertThat(((EnrollmentResult.Issued) result).chain().leaf().getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(((EnrollmentResult.Issued) result).chain().certificates()).hasSize(3);
        raApi.server.verify(0, postRequestedFor(urlPathMatching(RaApiFixture.ORDER_PATH + "/.*")));
    }

    @Override
    public void assertRevoked(X509Certificate certificate, RevocationReason reason) {
        String issuer = X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded()).toString();
        raApi.server.verify(postRequestedFor(urlPathEqualTo("/v2/revoke")).withRequestBody(equalToJson("[{"
                + "\"serialNumber\":\"" + certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT) + "\","
                + "\"revocationReason\":\"" + reason.name() + "\","
                + "\"issuerName\":\"" + issuer + "\","
                + "\"revocationRequestor\":\"Jane Operator\"}]")));
    }
}
