package dev.sealgate.certprovider.swisssign.cmc;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.sealgate.certprovider.CertificateProviderException;
import dev.sealgate.certprovider.testkit.TestPki;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A WireMock server playing ra.swisssign.net's CMC interface over mutual TLS: it only talks to
 * clients whose certificate chains to the AutoRAO test CA in its trust store. Public for the
 * enrollment tests in crypto-gateway (test-jar), which drive the real client through the service.
 */
public final class CmcFixture implements AutoCloseable {

    public static final String ACCOUNT = "ACME-MPKI";
    public static final String PRODUCT = "smime-silver";
    public static final String PATH = "/ws/cmc";
    public static final String STORE_PASSWORD = "test-store-password";
    public static final char[] ACCESS_PASSWORD = "autorao-p12-password".toCharArray();

    final FakeSwissSignCmc fake = new FakeSwissSignCmc();
    public final TestPki.TestCa tlsRoot = TestPki.TestCa.root("Test TLS Root");
    public final TestPki.TestCa autoRaoCa = TestPki.TestCa.root("SwissSign Test MPKI AutoRAO CA");
    final Path directory;
    public final WireMockServer server;

    public CmcFixture(Path directory) {
        this.directory = directory;
        KeyPair serverKeys = TestPki.ecKeyPair();
        Path serverKeyStore = TestPki.pkcs12(directory.resolve("server.p12"), "server", serverKeys.getPrivate(),
                List.of(tlsRoot.issueTlsServer(serverKeys.getPublic(), "localhost"), tlsRoot.certificate()),
                STORE_PASSWORD.toCharArray());
        Path serverTrust = TestPki.trustStore(directory.resolve("server-trust.p12"), List.of(autoRaoCa.certificate()),
                STORE_PASSWORD.toCharArray());
        server = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort()
                .keystorePath(serverKeyStore.toString()).keystorePassword(STORE_PASSWORD).keyManagerPassword(STORE_PASSWORD)
                .keystoreType("PKCS12")
                .needClientAuth(true)
                .trustStorePath(serverTrust.toString()).trustStorePassword(STORE_PASSWORD).trustStoreType("PKCS12")
                .extensions(fake));
        server.start();
    }

    /** Enrollment, polling, getCert and revocation all answered by the fake CA. */
    public CmcFixture stubCmc(String mode) {
        server.stubFor(post(urlPathEqualTo(PATH))
                .withQueryParam("account", equalTo(ACCOUNT))
                .withQueryParam("product", equalTo(PRODUCT))
                .withHeader("Content-Type", equalTo("application/pkcs7-mime"))
                .willReturn(aResponse().withStatus(200).withTransformers(FakeSwissSignCmc.NAME)
                        .withTransformerParameter("mode", mode)));
        return this;
    }

    public void stub(ResponseDefinitionBuilder answer) {
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(answer));
    }

    public URI endpoint() {
        return URI.create("https://localhost:" + server.httpsPort() + PATH);
    }

    /** A PKCS#12 with an access certificate for the gateway issued by {@code ca}. */
    public Path accessKeyStore(String file, TestPki.TestCa ca, String commonName) {
        KeyPair keys = TestPki.ecKeyPair();
        return TestPki.pkcs12(directory.resolve(file), "autorao", keys.getPrivate(),
                List.of(ca.issueTlsClient(keys.getPublic(), commonName), ca.certificate()), ACCESS_PASSWORD);
    }

    public SwissSignCmcConfig config(Path accessKeyStore, Duration requestTimeout, Duration orderDeadline) {
        return new SwissSignCmcConfig(endpoint(), ACCOUNT, PRODUCT, accessKeyStore, ACCESS_PASSWORD, null,
                List.of(tlsRoot.certificate()), Duration.ofSeconds(2), requestTimeout, orderDeadline);
    }

    SwissSignCmcClient client() throws CertificateProviderException {
        return new SwissSignCmcClient(config(accessKeyStore("autorao.p12", autoRaoCa, "Sealgate AutoRAO"),
                Duration.ofSeconds(5), Duration.ofDays(3)));
    }

    SwissSignCmcClient client(Clock clock, Duration requestTimeout) throws CertificateProviderException {
        return new SwissSignCmcClient(config(accessKeyStore("autorao.p12", autoRaoCa, "Sealgate AutoRAO"),
                requestTimeout, Duration.ofDays(3)), clock);
    }

    @Override
    public void close() {
        server.stop();
    }
}
