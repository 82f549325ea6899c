package dev.sealgate.addin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.w3c.dom.Document;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class AddinResourcesTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.files.public-base-url", () -> "https://mail.example.org");
    }

    @Autowired
    WebTestClient client;

    @Test
    void shouldServeAWellFormedManifestPointingAtThisService() throws Exception {
        byte[] xml = client.get().uri("/addin/manifest.xml").exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document manifest = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        assertThat(manifest.getDocumentElement().getLocalName()).isEqualTo("OfficeApp");
        assertThat(manifest.getElementsByTagNameNS("*", "SourceLocation").item(0).getAttributes().getNamedItem("DefaultValue").getNodeValue())
                .isEqualTo("https://mail.example.org/addin/taskpane.html");
        assertThat(new String(xml)).doesNotContain("${BASE_URL}");
        // without an app registration (no sealgate.addin.auth.client-id): no WebApplicationInfo, every rule still kept
        assertThat(manifest.getElementsByTagNameNS("*", "WebApplicationInfo").getLength()).isZero();
        assertThat(XmlManifestRules.check(manifest)).isEmpty();
    }

    @Test
    void shouldServeTheTaskPaneWithOfficeJsAllowedByItsPolicy() {
        client.get().uri("/addin/taskpane.html").exchange()
                .expectStatus().isOk()
                .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp)
                        .contains("script-src 'self' https://appsforoffice.microsoft.com").doesNotContain("unsafe"))
                .expectBody(String.class).value(html -> assertThat(html)
                        .contains("<script src=\"https://appsforoffice.microsoft.com/lib/1/hosted/office.js\"></script>"));
        client.get().uri("/addin/taskpane.js").exchange().expectStatus().isOk();
        client.get().uri("/addin/icon-32.png").exchange().expectStatus().isOk();
    }
}
