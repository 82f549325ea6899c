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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
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
 * XML manifest against the rules Microsoft documents for it ({@link XmlManifestRules}; docs/adr/0122 and
 * 0205 say why not against Microsoft's XSDs), each rule shown to catch a manifest that breaks it.
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
    void shouldServeAnXmlManifestThatKeepsEveryRuleMicrosoftDocuments() throws Exception {
        assertThat(XmlManifestRules.check(xml(get("/addin/manifest.xml")))).isEmpty();
    }

    /** A change to the served manifest that breaks one documented rule, and what the check must say about it. */
    record Breakage(String name, XmlChange change, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface XmlChange {
        void apply(Document manifest, XPath xpath) throws Exception;
    }

    static List<Breakage> breakages() {
        String v11 = "/o:OfficeApp/v10:VersionOverrides/v11:VersionOverrides";
        String launch = v11 + "//v11:ExtensionPoint[@xsi:type='LaunchEvent']";
        return List.of(
                new Breakage("Permissions before FormSettings", (d, x) -> moveBefore(x, d, "/o:OfficeApp/o:Permissions", "/o:OfficeApp/o:FormSettings"),
                        "/OfficeApp: FormSettings is required at this place; found Permissions"),
                new Breakage("no Rule", (d, x) -> remove(x, d, "/o:OfficeApp/o:Rule"), "/OfficeApp: Rule is required at this place"),
                new Breakage("WebApplicationInfo before Resources", (d, x) -> moveBefore(x, d, v11 + "/v11:WebApplicationInfo", v11 + "/v11:Resources"),
                        "/OfficeApp/VersionOverrides/VersionOverrides/Resources: is not allowed here"),
                new Breakage("SourceLocation before LaunchEvents", (d, x) -> moveBefore(x, d, launch + "/v11:SourceLocation", launch + "/v11:LaunchEvents"),
                        "LaunchEvents is required at this place; found SourceLocation"),
                new Breakage("LaunchEvent without FunctionName", (d, x) -> element(x, d, launch + "//v11:LaunchEvent").removeAttribute("FunctionName"),
                        "/LaunchEvent: FunctionName is required"),
                new Breakage("unknown SendMode", (d, x) -> element(x, d, launch + "//v11:LaunchEvent").setAttribute("SendMode", "Sometimes"),
                        "/LaunchEvent: SendMode must be one of"),
                new Breakage("LaunchEvent not on the runtime", (d, x) -> element(x, d, launch + "/v11:SourceLocation").setAttribute("resid", "taskpaneUrl"),
                        "resid \"taskpaneUrl\" must be the resid of a Runtime"),
                new Breakage("OnMessageSend below Mailbox 1.12", (d, x) -> element(x, d, v11 + "/v11:Requirements/bt:Sets").setAttribute("DefaultMinVersion", "1.8"),
                        "OnMessageSend needs Requirements/bt:Sets DefaultMinVersion of Mailbox 1.12 or later"),
                new Breakage("label naming no string", (d, x) -> element(x, d, v11 + "//v11:Group/v11:Label").setAttribute("resid", "noSuchString"),
                        "resid \"noSuchString\" names nothing in bt:ShortStrings"),
                new Breakage("resid longer than 32", (d, x) -> element(x, d, v11 + "//v11:Runtime/v11:Override").setAttribute("resid", "x".repeat(33)),
                        "resid is required and at most 32 characters"),
                new Breakage("two URLs with one id", (d, x) -> element(x, d, v11 + "/v11:Resources/bt:Urls/bt:Url[2]").setAttribute("id", "taskpaneUrl"),
                        "id \"taskpaneUrl\" is not unique among Urls"),
                new Breakage("plain HTTP script", (d, x) -> element(x, d, v11 + "/v11:Resources/bt:Urls/bt:Url[@id='onSendScriptUrl']")
                        .setAttribute("DefaultValue", "http://mail-gw.example.org/addin/onsend.js"), "DefaultValue must be an HTTPS URL"),
                new Breakage("no 80 pixel icon", (d, x) -> remove(x, d, v11 + "//v11:Control/v11:Icon/bt:Image[@size='80']"),
                        "Outlook needs images of sizes"),
                new Breakage("VersionOverrides 1.1 called 1.0", (d, x) -> element(x, d, v11).setAttributeNS(XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI,
                        "xsi:type", "VersionOverridesV1_0"), "xsi:type must be \"VersionOverridesV1_1\""),
                new Breakage("Runtimes in the 1.0 namespace inside 1.1", (d, x) -> d.renameNode(element(x, d, v11 + "//v11:Runtimes"),
                        "http://schemas.microsoft.com/office/mailappversionoverrides", "Runtimes"), "Runtimes: belongs to http://schemas.microsoft.com/office/mailappversionoverrides,"),
                new Breakage("Runtimes in VersionOverrides 1.0", (d, x) -> element(x, d, "/o:OfficeApp/v10:VersionOverrides/v10:Hosts/v10:Host").insertBefore(
                        d.createElementNS("http://schemas.microsoft.com/office/mailappversionoverrides", "Runtimes"),
                        element(x, d, "/o:OfficeApp/v10:VersionOverrides/v10:Hosts/v10:Host/v10:DesktopFormFactor")),
                        "/OfficeApp/VersionOverrides/Hosts/Host: DesktopFormFactor is required at this place; found Runtimes"),
                new Breakage("five-part version", (d, x) -> element(x, d, "/o:OfficeApp/o:Version").setTextContent("2.3.4.0.1"),
                        "/OfficeApp/Version: must be one to four numbers"),
                new Breakage("an id that is no UUID", (d, x) -> element(x, d, "/o:OfficeApp/o:Id").setTextContent("sealgate"), "/OfficeApp/Id: must be a UUID"),
                new Breakage("client ID that is no UUID", (d, x) -> element(x, d, v11 + "/v11:WebApplicationInfo/v11:Id").setTextContent("sealgate-addin"),
                        "/WebApplicationInfo/Id: must be the application (client) ID"),
                new Breakage("unknown permission", (d, x) -> element(x, d, "/o:OfficeApp/o:Permissions").setTextContent("Everything"),
                        "/OfficeApp/Permissions: must be one of"));
    }

    @ParameterizedTest
    @MethodSource("breakages")
    void shouldFindWhereAChangedXmlManifestBreaksADocumentedRule(Breakage breakage) throws Exception {
        Document manifest = xml(get("/addin/manifest.xml"));
        breakage.change().apply(manifest, xpath());

        assertThat(XmlManifestRules.check(manifest)).anySatisfy(v -> assertThat(v).contains(breakage.expected()));
    }

    private static org.w3c.dom.Element element(XPath xpath, Document manifest, String path) throws Exception {
        org.w3c.dom.Element element = (org.w3c.dom.Element) xpath.evaluate(path, manifest, XPathConstants.NODE);
        assertThat(element).as(path).isNotNull();
        return element;
    }

    private static void moveBefore(XPath xpath, Document manifest, String moved, String before) throws Exception {
        org.w3c.dom.Element target = element(xpath, manifest, before);
        target.getParentNode().insertBefore(element(xpath, manifest, moved), target);
    }

    private static void remove(XPath xpath, Document manifest, String path) throws Exception {
        org.w3c.dom.Element element = element(xpath, manifest, path);
        element.getParentNode().removeChild(element);
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
