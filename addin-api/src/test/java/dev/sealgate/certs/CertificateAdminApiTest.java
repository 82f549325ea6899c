package dev.sealgate.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

// Spring Boot's own logback set-up, with the file appender: the logback-test.xml of cert-providers' test jar is on this
// class path too and, found first, has no file appender (the log file this test reads was never written)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "logging.file.name=" + CertificateAdminApiTest.LOG_FILE, "logging.config=classpath:logback-with-file.xml"})
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class CertificateAdminApiTest {

    static final String LOG_FILE = "target/test-logs/certificate-admin-api.log";
    private static final String API_KEY = "test-admin-key-certs-0123";
    private static final String MASTER_KEY = Base64.getEncoder().encodeToString(
            HexFormat.of().parseHex("5ea1ea7e5ea1ea7e00112233445566778899aabbccddeeff0102030405060708"));
    private static final TestPki PARTNER_PKI = TestPki.create("Partner Test CA");

    @TempDir
    static Path dataDir;

    @TempDir
    static Path anchors;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        try {
            Files.writeString(anchors.resolve("partner-ca.pem"), TestPki.pem(PARTNER_PKI.caCertificate()));
            Files.writeString(anchors.resolve("broken.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.admin.api-key", () -> API_KEY);
        registry.add("sealgate.master-key", () -> MASTER_KEY);
        registry.add("sealgate.trust-anchors", () -> anchors.toString());
        registry.add("sealgate.domains", () -> "own.example");
        registry.add("sealgate.enrollment.key-algorithm", () -> "EC");
    }

    @Autowired
    WebTestClient client;

    @Autowired
    CertificateStore store;

    /** A slow answer on a busy build machine is no failure: wait as long as a person would. */
    private WebTestClient client() {
        return client.mutate().responseTimeout(java.time.Duration.ofSeconds(60)).build();
    }

    private WebTestClient.RequestBodySpec post(String uri) {
        return client().post().uri(uri).header("X-Api-Key", API_KEY);
    }

    private List<Map<String, Object>> importing(Map<String, Object> body) {
        return post("/api/v1/admin/certificates").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isCreated()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { })
                .returnResult().getResponseBody();
    }

    @Test
    void shouldImportPkcs12AsOwnCertificateAndShowMetadataWithoutKeyMaterial() {
        TestPki.Issued issued = PARTNER_PKI.issue("gina@own.example");
        char[] password = "Pkcs12-Import-Pass!".toCharArray();

        List<Map<String, Object>> imported = importing(Map.of(
                "content", Base64.getEncoder().encodeToString(issued.pkcs12(password)), "password", new String(password)));

        assertThat(imported).as("the certificate, then its CA, which stays the anchor it was made at start").hasSize(2);
        Map<String, Object> own = imported.get(0);
        assertThat(own).containsEntry("kind", "OWN").containsEntry("hasPrivateKey", true)
                .containsEntry("addresses", List.of("gina@own.example"))
                .containsEntry("subjectAlternativeNames", List.of("gina@own.example"))
                .containsEntry("fingerprint", Certificates.fingerprint(issued.certificate()))
                .containsKeys("subject", "issuer", "serial", "notBefore", "notAfter", "trustStatus");
        assertThat(own).doesNotContainKeys("privateKey", "key", "password", "content");
        assertThat(own.toString()).doesNotContain("Pkcs12-Import-Pass!");
        assertThat(imported.get(1)).containsEntry("fingerprint", Certificates.fingerprint(PARTNER_PKI.caCertificate()))
                .containsEntry("kind", "ANCHOR");
    }

    @Test
    void shouldRefuseWrongPasswordAndGarbageWithProblemDetails() {
        byte[] p12 = PARTNER_PKI.issue("hank@own.example").pkcs12("right-one".toCharArray());

        post("/api/v1/admin/certificates").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("content", Base64.getEncoder().encodeToString(p12), "password", "Wrong-Guess-4711"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail").isEqualTo("wrong PKCS#12 password")
                .consumeWith(r -> assertThat(new String(r.getResponseBody(), StandardCharsets.UTF_8)).doesNotContain("Wrong-Guess-4711"));

        post("/api/v1/admin/certificates").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("content", Base64.getEncoder().encodeToString("hello, not a certificate".getBytes(StandardCharsets.UTF_8))))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.detail").value(d -> assertThat((String) d).startsWith("not a certificate: "));

        client().get().uri("/api/v1/admin/events?source=certificates").header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[?(@.message == 'Certificate import refused: wrong PKCS#12 password')]").exists();
    }

    @Test
    void shouldImportPartnerPemSearchExportAndDelete() {
        X509Certificate partner = PARTNER_PKI.issue("ivy@partner.example").certificate();
        Map<String, Object> view = importing(Map.of("content", TestPki.pem(partner), "domainCertificateFor", "Partner.Example")).get(0);
        Number id = (Number) view.get("id");

        assertThat(view).containsEntry("kind", "PARTNER").containsEntry("hasPrivateKey", false)
                .containsEntry("domainCertificateFor", "partner.example");
        client().get().uri("/api/v1/admin/certificates?address=ivy@partner.example").header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$[0].id").isEqualTo(id.intValue());
        client().get().uri("/api/v1/admin/certificates/{id}/pem", id).header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(pem -> assertThat(CertificateParser.parse(pem.getBytes(StandardCharsets.US_ASCII), null)
                        .certificates()).containsExactly(partner));
        client().get().uri("/api/v1/admin/certificates/{id}/der", id).header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isOk()
                .expectBody(byte[].class).value(der -> assertThat(Certificates.parse(der)).isEqualTo(partner));
        client().delete().uri("/api/v1/admin/certificates/{id}", id).header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isNoContent();
        client().get().uri("/api/v1/admin/certificates/{id}", id).header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").isEqualTo("no certificate with id " + id);
    }

    @Test
    void shouldWarnWhenAPartnerCertificateIsReallyACaCertificate() {
        TestPki openSslDefault = TestPki.create("Made By openssl req -x509");
        Map<String, Object> view = importing(Map.of("content", TestPki.pem(openSslDefault.caCertificate()), "kind", "PARTNER")).get(0);

        assertThat(view.get("kind")).as("a CA certificate is no partner's").isNotEqualTo("PARTNER");
        assertThat((List<Map<String, Object>>) view.get("warnings")).singleElement().satisfies(w -> {
            assertThat(w).containsEntry("code", "certificate.ca-as-partner")
                    .containsEntry("arguments", Map.of("storedAs", view.get("kind")));
            assertThat((String) w.get("message")).contains("CA certificate", "cannot be used to encrypt to anyone", "ANCHOR");
        });
        client().get().uri("/api/v1/admin/events?source=certificates").header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isOk().expectBody(String.class)
                .value(events -> assertThat(events).contains("is not usable as partner").contains("[certificate.ca-as-partner]"));

        X509Certificate partner = PARTNER_PKI.issue("uma@partner.example").certificate();
        assertThat((List<?>) importing(Map.of("content", TestPki.pem(partner))).get(0).get("warnings")).as("a proper one").isEmpty();
    }

    @Test
    void shouldSayWhereEachCertificateCameFromAndShowItsChainToATrustAnchor() {
        X509Certificate partner = PARTNER_PKI.issue("origin@partner.example").certificate();
        Map<String, Object> view = importing(Map.of("content", TestPki.pem(partner))).get(0);

        assertThat(view).containsEntry("origin", "IMPORTED");
        assertThat((String) view.get("originDetail")).as("who imported it").contains("configured-api-key");
        Map<String, Object> chain = client().get().uri("/api/v1/admin/certificates/{id}/chain", view.get("id")).header("X-Api-Key", API_KEY)
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        assertThat(chain).containsEntry("anchored", true).containsEntry("problem", null);
        List<Map<String, Object>> elements = (List<Map<String, Object>>) chain.get("elements");
        assertThat(elements).extracting(e -> e.get("fingerprint")).containsExactly(Certificates.fingerprint(partner),
                Certificates.fingerprint(PARTNER_PKI.caCertificate()));
        assertThat(elements.get(0)).containsEntry("status", "VALID").containsEntry("trustAnchor", false)
                .containsEntry("subject", Certificates.readable(partner.getSubjectX500Principal()))
                .containsKeys("issuer", "notBefore", "notAfter", "id");
        assertThat(elements.get(1)).containsEntry("trustAnchor", true);

        List<Map<String, Object>> anchors = client().get().uri("/api/v1/admin/certificates?kind=ANCHOR").header("X-Api-Key", API_KEY)
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
        assertThat(anchors).filteredOn(a -> Certificates.fingerprint(PARTNER_PKI.caCertificate()).equals(a.get("fingerprint")))
                .singleElement().satisfies(a -> {
                    assertThat(a).containsEntry("origin", "IMPORTED");
                    assertThat((String) a.get("originDetail")).contains("partner-ca.pem", "sealgate.trust-anchors");
                });
        assertThat(anchors).filteredOn(a -> "BUILT_IN".equals(a.get("origin"))).as("the local CA").isNotEmpty();

        TestPki stranger = TestPki.create("Stranger CA");
        Map<String, Object> orphan = importing(Map.of("content", TestPki.pem(stranger.issue("orphan@partner.example").certificate()))).get(0);
        client().get().uri("/api/v1/admin/certificates/{id}/chain", orphan.get("id")).header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.anchored").isEqualTo(false)
                .jsonPath("$.problem.code").isEqualTo("chain.issuer-missing")
                .jsonPath("$.problem.message").value(p -> assertThat((String) p).contains("no stored CA certificate issued", "Stranger CA"))
                .jsonPath("$.problem.arguments.issuer").value(p -> assertThat((String) p).contains("Stranger CA"))
                .jsonPath("$.elements.length()").isEqualTo(1);
        client().get().uri("/api/v1/admin/certificates/{id}/chain", 987654321).header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isNotFound();
        client().get().uri("/api/v1/admin/certificates/not-a-number/chain").header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void shouldRecordTheProviderOfAnEnrolledCertificate() {
        Map<String, Object> request = post("/api/v1/admin/enrollments").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("address", "origin-enrolled@own.example")).exchange()
                .expectStatus().isCreated()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();

        client().get().uri("/api/v1/admin/certificates/{id}", request.get("certificateId")).header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.origin").isEqualTo("ENROLLED").jsonPath("$.originDetail").isEqualTo("provider local");
        client().get().uri("/api/v1/admin/certificates/{id}/chain", request.get("certificateId")).header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.anchored").isEqualTo(true).jsonPath("$.elements[-1:].trustAnchor").isEqualTo(List.of(true));
    }

    @Test
    void shouldLoadTrustAnchorsFromTheConfiguredFolderAndTheLocalCa() {
        client().get().uri("/api/v1/admin/certificates?kind=ANCHOR").header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[*].fingerprint").value(fingerprints -> assertThat((List<String>) fingerprints)
                        .contains(Certificates.fingerprint(PARTNER_PKI.caCertificate())).hasSizeGreaterThanOrEqualTo(2));
        client().get().uri("/api/v1/admin/events?source=certificates").header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.message =~ /Trust anchor file .*broken.pem was not imported.*/)]").exists();
    }

    @Test
    void shouldPublishCaAndCrlWithoutAuthentication() {
        client().get().uri("/pki/ca.pem").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(pem -> assertThat(CertificateParser.parse(pem.getBytes(StandardCharsets.US_ASCII), null)
                        .certificates()).hasSize(2));
        client().get().uri("/pki/crl.pem").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(pem -> assertThat(CertificateParser.parse(pem.getBytes(StandardCharsets.US_ASCII), null)
                        .crls()).hasSize(1));
    }

    @Test
    void shouldEnrollFromTheLocalCaListTheLogAndRevoke() {
        Map<String, Object> request = post("/api/v1/admin/enrollments").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("address", "jack@own.example")).exchange()
                .expectStatus().isCreated()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();

        assertThat(request).containsEntry("mailAddress", "jack@own.example").containsEntry("requestType", "CertificateRequest")
                .containsEntry("requestStatus", "Succeeded").containsEntry("provider", "local");
        Number certificateId = (Number) request.get("certificateId");

        post("/api/v1/admin/certificates/{id}/revoke".replace("{id}", certificateId.toString()))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reason", "KEY_COMPROMISE")).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.requestType").isEqualTo("Revocation").jsonPath("$.requestStatus").isEqualTo("Succeeded");
        client().get().uri("/api/v1/admin/enrollments?address=jack@own.example&type=Revocation").header("X-Api-Key", API_KEY)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(1).jsonPath("$[0].certificateId").isEqualTo(certificateId.intValue());
        client().get().uri("/api/v1/admin/enrollments?status=Bogus").header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").isEqualTo("not a request status: 'Bogus'; use Pending, Succeeded or Failed");
    }

    @Test
    void shouldStoreAndResolvePoliciesWithInheritance() {
        client().get().uri("/api/v1/admin/policies/global").header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.effective.outboundSigning").isEqualTo("AUTO")
                .jsonPath("$.effective.outboundEncryption").isEqualTo("OPPORTUNISTIC")
                .jsonPath("$.effective.autoEnroll").isEqualTo(true);

        client().put().uri("/api/v1/admin/policies/partner.example").header("X-Api-Key", API_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("outboundEncryption", "MANDATORY", "missingCertificate", "HOLD"))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.stored.outboundEncryption").isEqualTo("MANDATORY");

        client().get().uri("/api/v1/admin/policies/kim@partner.example").header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.stored").doesNotExist()
                .jsonPath("$.effective.outboundEncryption").isEqualTo("MANDATORY")
                .jsonPath("$.effective.missingCertificate").isEqualTo("HOLD")
                .jsonPath("$.effective.outboundSigning").isEqualTo("AUTO");

        client().put().uri("/api/v1/admin/policies/not a scope").header("X-Api-Key", API_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).startsWith("not a policy scope: 'not a scope'"));
        client().put().uri("/api/v1/admin/policies/partner.example").header("X-Api-Key", API_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("outboundEncryption", "SOMETIMES")).exchange()
                .expectStatus().isBadRequest();
        client().get().uri("/api/v1/admin/policies/partner.example").header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.stored.outboundEncryption").isEqualTo("MANDATORY");
    }

    @Test
    void shouldNeverLogPasswordMasterKeyOrPrivateKey(CapturedOutput output) throws IOException {
        TestPki.Issued issued = PARTNER_PKI.issue("leak.check@own.example");
        String password = "Leak-Check-P12-Secret-9f8e";
        byte[] p12 = issued.pkcs12(password.toCharArray());
        importing(Map.of("content", Base64.getEncoder().encodeToString(p12), "password", password));
        post("/api/v1/admin/certificates").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("content", Base64.getEncoder().encodeToString(p12), "password", password + "-wrong"))
                .exchange().expectStatus().isBadRequest();
        post("/api/v1/admin/enrollments").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("address", "leak.enrolled@own.example")).exchange().expectStatus().isCreated();
        OwnKey enrolled = store.signingKey("leak.enrolled@own.example").orElseThrow();
        OwnKey imported = store.signingKey("leak.check@own.example").orElseThrow();
        String events = client().get().uri("/api/v1/admin/events?limit=1000").header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();

        String logFile = Files.readString(Path.of(LOG_FILE));
        for (String haystack : List.of(output.getAll(), logFile, events)) {
            assertThat(haystack).doesNotContain(password).doesNotContain(MASTER_KEY)
                    .doesNotContain(HexFormat.of().formatHex(Base64.getDecoder().decode(MASTER_KEY)));
            for (OwnKey key : List.of(enrolled, imported)) {
                String base64 = Base64.getEncoder().encodeToString(key.privateKey().getEncoded());
                String hex = HexFormat.of().formatHex(key.privateKey().getEncoded());
                assertThat(haystack)
                        .doesNotContain(base64.substring(base64.length() - 40))
                        .doesNotContain(hex.substring(hex.length() - 64));
            }
        }
        assertThat(enrolled.toString()).doesNotContain(Base64.getEncoder().encodeToString(enrolled.privateKey().getEncoded()));
        assertThat(output.getAll()).contains("Imported 2 certificates");
    }
}
