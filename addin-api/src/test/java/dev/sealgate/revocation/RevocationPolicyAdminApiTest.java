package dev.sealgate.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.net.OutboundProxy;
import dev.sealgate.net.ProxyProperties;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The revocation policies through the admin API, and the service's revocation settings as configured. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.file.name=target/test-logs/revocation-admin-api.log", "sealgate.revocation.on-unknown=hard-fail",
            "sealgate.revocation.max-wait=2s", "sealgate.revocation.max-crl-size=5MB", "sealgate.proxy.host=proxy.corp.example",
            "sealgate.proxy.auth=basic", "sealgate.proxy.username=gw", "sealgate.proxy.password=pr0xy-s3cret",
            "sealgate.proxy.non-proxy-hosts=*.corp.example,10.*"})
@AutoConfigureWebTestClient(timeout = "60s")
class RevocationPolicyAdminApiTest {

    private static final String API_KEY = "test-admin-key-revocation-0123";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.admin.api-key", () -> API_KEY);
        registry.add("sealgate.master-key", () -> Base64.getEncoder().encodeToString(
                HexFormat.of().parseHex("0011223344556677889900112233445566778899001122334455667788990011")));
        registry.add("sealgate.domains", () -> "own.example");
    }

    @Autowired
    WebTestClient client;

    @Autowired
    RevocationProperties properties;

    @Autowired
    ProxyProperties proxy;

    private Map<String, Object> put(String scope, String body) {
        return client.put().uri("/api/v1/admin/revocation-policies/{scope}", scope).header("X-Api-Key", API_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    @Test
    void shouldBindTheRevocationPropertiesWithTheirDefaults() {
        assertThat(properties.onUnknown()).isEqualTo(UnknownRevocation.HARD_FAIL);
        assertThat(properties.maxWait()).hasSeconds(2);
        assertThat(properties.settings().maxCrlSize()).isEqualTo(5L * 1024 * 1024);
        assertThat(properties.ocsp()).isTrue();
        assertThat(properties.crl()).isTrue();
        assertThat(properties.ocspNonce()).isTrue();
        assertThat(properties.cacheSize()).isEqualTo(1000);
        assertThat(properties.connectTimeout()).hasSeconds(5);
    }

    @Test
    void shouldBindTheOutboundProxyAndKeepItsPasswordOutOfItsDescription() {
        OutboundProxy bound = proxy.proxy().orElseThrow();

        assertThat(bound.host()).isEqualTo("proxy.corp.example");
        assertThat(bound.port()).isEqualTo(3128);
        assertThat(bound.auth()).isEqualTo(OutboundProxy.Auth.BASIC);
        assertThat(bound.nonProxyHosts()).containsExactly("*.corp.example", "10.*");
        assertThat(bound.bypasses("ocsp.corp.example")).isTrue();
        assertThat(bound.bypasses("localhost")).isFalse();
        assertThat(proxy.toString()).doesNotContain("pr0xy-s3cret");
        assertThat(bound.toString()).doesNotContain("pr0xy-s3cret");
    }

    @Test
    void shouldSetAPartnerDomainToSoftFailUnderAHardFailDefaultAndInheritAgainWhenRemoved() {
        assertThat(put("Partner.Example", "{\"onUnknown\":\"SOFT_FAIL\"}"))
                .containsEntry("scope", "partner.example").containsEntry("onUnknown", "SOFT_FAIL").containsEntry("effective", "SOFT_FAIL");

        client.get().uri("/api/v1/admin/revocation-policies").header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$['partner.example']").isEqualTo("SOFT_FAIL");
        client.delete().uri("/api/v1/admin/revocation-policies/partner.example").header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isNoContent();
        client.get().uri("/api/v1/admin/revocation-policies/partner.example").header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.onUnknown").doesNotExist()
                .jsonPath("$.effective").isEqualTo("HARD_FAIL");
        client.delete().uri("/api/v1/admin/revocation-policies/partner.example").header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void shouldRefuseABadScopeAMissingOrUnknownValueAndAMissingKeyWithout5xx() {
        client.put().uri("/api/v1/admin/revocation-policies/{scope}", "not a scope!").header("X-Api-Key", API_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"onUnknown\":\"SOFT_FAIL\"}").exchange()
                .expectStatus().isBadRequest();
        client.put().uri("/api/v1/admin/revocation-policies/partner.example").header("X-Api-Key", API_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isBadRequest();
        client.put().uri("/api/v1/admin/revocation-policies/partner.example").header("X-Api-Key", API_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"onUnknown\":\"MAYBE\"}").exchange()
                .expectStatus().isBadRequest();
        client.get().uri("/api/v1/admin/revocation-policies").exchange()
                .expectStatus().isUnauthorized();
    }
}
