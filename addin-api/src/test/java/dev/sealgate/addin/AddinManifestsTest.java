package dev.sealgate.addin;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.regex.JoniRegularExpressionFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Both manifests as the service serves them, from the same settings, checked offline: the unified
 * manifest against Microsoft's JSON schema (vendored from npm {@code @microsoft/app-manifest}, MIT), the
 * XML manifest for the parts Outlook needs (docs/adr/0122 says why not against Microsoft's XSDs).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "sealgate.public-base-url=" + AddinManifestsTest.BASE + "/")
@AutoConfigureWebTestClient
class AddinManifestsTest {

    static final String BASE = "https://mail-gw.example.org";
    static final String CLIENT_ID = "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    static final String TENANT_ID = "11111111-2222-3333-4444-555555555555";
    static final String ADDIN_ID = "0b6a3f52-9d1e-4c07-8e2b-5a4f7c9d1e20";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.addin.auth.client-id", () -> CLIENT_ID);
        registry.add("sealgate.addin.auth.tenant-id", () -> TENANT_ID);
        registry.add("sealgate.addin.id", () -> ADDIN_ID);
        registry.add("sealgate.addin.version", () -> "2.3.4");
    }

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Test
    void shouldServeAUnifiedManifestThatMicrosoftsSchemaAccepts() {
        String manifest = get("/addin/manifest.json");

        assertThat(schemaErrors(manifest)).isEmpty();
        JsonNode root = json.readTree(manifest);
        assertThat(root.path("id").asString()).isEqualTo(ADDIN_ID);
        assertThat(root.path("version").asString()).isEqualTo("2.3.4");
        assertThat(root.path("webApplicationInfo").path("id").asString()).isEqualTo(CLIENT_ID);
        assertThat(root.path("webApplicationInfo").path("resource").asString()).isEqualTo("api://mail-gw.example.org/" + CLIENT_ID);
        assertThat(root.path("validDomains").get(0).asString()).isEqualTo("mail-gw.example.org");
        JsonNode extension = root.path("extensions").get(0);
        assertThat(extension.path("autoRunEvents").get(0).path("events").get(0).path("type").asString()).isEqualTo("messageSending");
        assertThat(extension.path("runtimes").get(1).path("code").path("script").asString()).isEqualTo(BASE + "/addin/onsend.js");
        assertThat(root.path("authorization").path("permissions").path("resourceSpecific").get(0).path("name").asString())
                .isEqualTo("MailboxItem.ReadWrite.User");
    }

    @Test
    void shouldRefuseABrokenUnifiedManifestWithTheSameSchema() {
        JsonNode root = json.readTree(get("/addin/manifest.json"));
        ((tools.jackson.databind.node.ObjectNode) root).remove("developer");
        ((tools.jackson.databind.node.ObjectNode) root).put("accentColor", "blue");

        assertThat(schemaErrors(root.toString())).extracting(e -> e.getInstanceLocation() + " " + e.getMessage())
                .anySatisfy(m -> assertThat(m).contains("required").contains("developer"))
                .anySatisfy(m -> assertThat(m).contains("accentColor").contains("regex"));
    }

    @Test
    void shouldServeAnXmlManifestWithTheCheckOnSendAndTheAppRegistration() throws Exception {
        Document manifest = xml(get("/addin/manifest.xml"));
        XPath xpath = xpath();

        assertThat(xpath.evaluate("/o:OfficeApp/o:Id", manifest)).isEqualTo(ADDIN_ID);
        assertThat(xpath.evaluate("/o:OfficeApp/o:Version", manifest)).isEqualTo("2.3.4.0");
        assertThat(xpath.evaluate("/o:OfficeApp/o:AppDomains/o:AppDomain", manifest)).isEqualTo(BASE);
        String v11 = "/o:OfficeApp/v10:VersionOverrides[@xsi:type='VersionOverridesV1_0']/v11:VersionOverrides[@xsi:type='VersionOverridesV1_1']";
        assertThat(xpath.evaluate(v11 + "//v11:ExtensionPoint[@xsi:type='LaunchEvent']/v11:LaunchEvents/v11:LaunchEvent/@Type", manifest))
                .isEqualTo("OnMessageSend");
        assertThat(xpath.evaluate(v11 + "//v11:LaunchEvent/@FunctionName", manifest)).isEqualTo("onMessageSendHandler");
        assertThat(xpath.evaluate(v11 + "/v11:WebApplicationInfo/v11:Id", manifest)).isEqualTo(CLIENT_ID);
        assertThat(xpath.evaluate(v11 + "/v11:WebApplicationInfo/v11:Resource", manifest)).isEqualTo("api://mail-gw.example.org/" + CLIENT_ID);
        // WebApplicationInfo follows Resources, the order the VersionOverrides 1.1 schema prescribes
        assertThat(xpath.evaluate("local-name(" + v11 + "/v11:WebApplicationInfo/preceding-sibling::*[1])", manifest)).isEqualTo("Resources");
        NodeList urls = (NodeList) xpath.evaluate("//bt:Url/@DefaultValue | //bt:Image/@DefaultValue", manifest, XPathConstants.NODESET);
        for (int i = 0; i < urls.getLength(); i++) {
            assertThat(urls.item(i).getNodeValue()).startsWith(BASE + "/addin/");
        }
        assertThat(xpath.evaluate("//v11:Runtime/v11:Override/@resid", manifest)).isEqualTo("onSendScriptUrl");
    }

    @Test
    void shouldTellTheAddinWhereToSignInWithoutAnySecret() {
        JsonNode config = json.readTree(get("/addin/config.json"));

        assertThat(config.path("signIn").asBoolean()).isTrue();
        assertThat(config.path("clientId").asString()).isEqualTo(CLIENT_ID);
        assertThat(config.path("authority").asString()).isEqualTo("https://login.microsoftonline.com/" + TENANT_ID);
        assertThat(config.path("protocolMode").asString()).isEqualTo("AAD");
        assertThat(config.path("scope").asString()).isEqualTo("api://mail-gw.example.org/" + CLIENT_ID + "/access_as_user");
        assertThat(config.path("nestedRedirectUri").asString()).isEqualTo("brk-multihub://mail-gw.example.org");
        assertThat(config.path("redirectUri").asString()).isEqualTo(BASE + "/addin/auth-redirect.html");
    }

    @Test
    void shouldBundleMsalAndTheHandlerForOutlooksJavaScriptOnlyRuntime() {
        String script = get("/addin/onsend.js");

        assertThat(script.startsWith("/*! @azure/msal-browser v")).as("MSAL.js comes first").isTrue();
        assertThat(script.contains("createNestablePublicClientApplication")).as("MSAL.js with nested app authentication").isTrue();
        for (String part : List.of("global.SealgateI18n", "global.SealgateAuth", "global.SealgateCompose",
                "Office.actions.associate(\"onMessageSendHandler\"")) {
            assertThat(script.contains(part)).as(part).isTrue();
        }
    }

    private String get(String path) {
        return client.mutate().responseTimeout(java.time.Duration.ofSeconds(60))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 << 20)).build().get().uri(path).exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    private static List<Error> schemaErrors(String manifest) {
        try (InputStream in = AddinManifestsTest.class.getResourceAsStream("/manifest-schema/MicrosoftTeams.schema.json")) {
            // the schema's patterns are ECMAScript (e.g. \b inside a class), which java.util.regex refuses
            Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4, registry -> registry.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().regularExpressionFactory(JoniRegularExpressionFactory.getInstance()).build()))
                    .getSchema(in);
            return schema.validate(manifest, InputFormat.JSON);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Document xml(String text) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static XPath xpath() {
        XPath xpath = XPathFactory.newInstance().newXPath();
        xpath.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return switch (prefix) {
                    case "o" -> "http://schemas.microsoft.com/office/appforoffice/1.1";
                    case "v10" -> "http://schemas.microsoft.com/office/mailappversionoverrides";
                    case "v11" -> "http://schemas.microsoft.com/office/mailappversionoverrides/1.1";
                    case "bt" -> "http://schemas.microsoft.com/office/officeappbasictypes/1.0";
                    case "xsi" -> XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI;
                    default -> XMLConstants.NULL_NS_URI;
                };
            }

            @Override
            public String getPrefix(String namespaceUri) {
                return null;
            }

            @Override
            public java.util.Iterator<String> getPrefixes(String namespaceUri) {
                return null;
            }
        });
        return xpath;
    }
}
