package dev.sealgate.addin;

import dev.sealgate.certs.CertificateKind;
import dev.sealgate.certs.CertificateStore;
import dev.sealgate.certs.TestPki;
import dev.sealgate.certs.TrustStatus;
import dev.sealgate.policy.CryptoPolicy;
import dev.sealgate.policy.EncryptionMode;
import dev.sealgate.policy.MissingCertificateAction;
import dev.sealgate.policy.PolicyRepository;
import dev.sealgate.policy.PolicyScope;
import dev.sealgate.policy.SigningMode;
import dev.sealgate.testkit.TestIdentityProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The add-in's recipient check and settings answer from the stored crypto policies and certificates. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// The first request fetches the test identity provider's keys; on a loaded machine that outlasts the 5 s default.
@AutoConfigureWebTestClient(timeout = "30s")
class AddinPolicyTest {

    private static final TestIdentityProvider idp = new TestIdentityProvider();
    private static final TestPki PARTNER_PKI = TestPki.create("Partner Test CA");

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.domains[0]", () -> "corp.example");
        // a subdomain is an own domain only when listed (RelayPolicy); the add-in serves own domains only
        registry.add("sealgate.domains[1]", () -> "never-sign.corp.example");
        registry.add("sealgate.admin.api-key", () -> "admin-key-for-policy-tests");
        idp.register(registry);
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    @Autowired
    WebTestClient client;

    @Autowired
    CertificateStore store;

    @Autowired
    PolicyRepository policies;

    private static CryptoPolicy encryption(EncryptionMode mode, MissingCertificateAction missing) {
        return new CryptoPolicy(null, null, mode, missing, null, null, null, null, null, null, null, null);
    }

    private static CryptoPolicy signingAndEncryption(SigningMode signing, EncryptionMode encryption) {
        return new CryptoPolicy(signing, null, encryption, null, null, null, null, null, null, null, null, null);
    }

    private WebTestClient.BodyContentSpec check(String user, List<String> recipients) {
        return client.post().uri("/api/v1/addin/recipients/check").contentType(MediaType.APPLICATION_JSON)
                .headers(h -> h.setBearerAuth(idp.token(user)))
                .bodyValue(Map.of("recipients", recipients)).exchange()
                .expectStatus().isOk()
                .expectBody();
    }

    private WebTestClient.BodyContentSpec settings(String user) {
        return client.get().uri("/api/v1/addin/settings").headers(h -> h.setBearerAuth(idp.token(user))).exchange()
                .expectStatus().isOk()
                .expectBody();
    }

    @Test
    void shouldAnswerEncryptedForAPartnerWhoseCertificateWasImported() {
        store.add(PARTNER_PKI.caCertificate(), CertificateKind.ANCHOR, TrustStatus.TRUSTED);
        store.add(PARTNER_PKI.issue("bob@mandatory.example").certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);
        policies.save(PolicyScope.domain("mandatory.example"), encryption(EncryptionMode.MANDATORY, MissingCertificateAction.REJECT));

        check("alice@corp.example", List.of("bob@mandatory.example", "carol@mandatory.example"))
                .jsonPath("$.recipients[0].internal").isEqualTo(false)
                .jsonPath("$.recipients[0].certificate").isEqualTo(true)
                .jsonPath("$.recipients[0].ifEncrypted").isEqualTo("ENCRYPTED")
                .jsonPath("$.recipients[1].certificate").isEqualTo(false)
                .jsonPath("$.recipients[1].ifEncrypted").isEqualTo("REJECTED");
    }

    @Test
    void shouldAnswerFallbackWhereBothPoliciesHoldOrSendPlainWithoutCertificate() {
        policies.save(PolicyScope.address("trent@corp.example"), encryption(null, MissingCertificateAction.SEND_PLAIN));
        policies.save(PolicyScope.domain("hold.example"), encryption(EncryptionMode.MANDATORY, MissingCertificateAction.HOLD));
        policies.save(PolicyScope.domain("plain.example"), encryption(EncryptionMode.WHEN_REQUESTED, MissingCertificateAction.SEND_PLAIN));

        check("trent@corp.example", List.of("dave@hold.example", "erin@plain.example"))
                .jsonPath("$.recipients[0].ifEncrypted").isEqualTo("FALLBACK")
                .jsonPath("$.recipients[1].ifEncrypted").isEqualTo("FALLBACK");
        // the sender's default (REJECT) is stricter than the partner's HOLD, and the stricter wins
        check("alice@corp.example", List.of("dave@hold.example"))
                .jsonPath("$.recipients[0].ifEncrypted").isEqualTo("REJECTED");
    }

    @Test
    void shouldAnswerRejectedWhereThePolicyForbidsEncryption() {
        store.add(PARTNER_PKI.caCertificate(), CertificateKind.ANCHOR, TrustStatus.TRUSTED);
        store.add(PARTNER_PKI.issue("frank@never.example").certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);
        policies.save(PolicyScope.domain("never.example"), encryption(EncryptionMode.NEVER, null));

        check("alice@corp.example", List.of("frank@never.example"))
                .jsonPath("$.recipients[0].certificate").isEqualTo(true)
                .jsonPath("$.recipients[0].ifEncrypted").isEqualTo("REJECTED");
    }

    @Test
    void shouldNotPlanInternalRecipientsAndIgnoreTheSendersMissingSigningKey() {
        policies.save(PolicyScope.address("grace@corp.example"), signingAndEncryption(SigningMode.ALWAYS, null));
        store.add(PARTNER_PKI.caCertificate(), CertificateKind.ANCHOR, TrustStatus.TRUSTED);
        store.add(PARTNER_PKI.issue("heidi@partner-ok.example").certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);

        check("grace@corp.example", List.of("ivan@CORP.example", "heidi@partner-ok.example"))
                .jsonPath("$.recipients[0].address").isEqualTo("ivan@CORP.example")
                .jsonPath("$.recipients[0].internal").isEqualTo(true)
                .jsonPath("$.recipients[0].ifEncrypted").isEqualTo("ENCRYPTED")
                .jsonPath("$.recipients[1].internal").isEqualTo(false)
                .jsonPath("$.recipients[1].ifEncrypted").isEqualTo("ENCRYPTED");
    }

    @Test
    void shouldPressEncryptAndSignAndForbidSwitchingEncryptionOffUnderMandatoryPolicies() {
        policies.save(PolicyScope.address("mallory@corp.example"), signingAndEncryption(SigningMode.ALWAYS, EncryptionMode.MANDATORY));

        settings("mallory@corp.example")
                .jsonPath("$.encrypt.visible").isEqualTo(true)
                .jsonPath("$.encrypt.pressed").isEqualTo(true)
                .jsonPath("$.mayDisableEncryption").isEqualTo(false)
                .jsonPath("$.sign.visible").isEqualTo(true)
                .jsonPath("$.sign.pressed").isEqualTo(true);
    }

    @Test
    void shouldHideButtonsThePolicyForbids() {
        policies.save(PolicyScope.domain("never-sign.corp.example"), signingAndEncryption(SigningMode.NEVER, EncryptionMode.NEVER));

        settings("oscar@never-sign.corp.example")
                .jsonPath("$.encrypt.visible").isEqualTo(false)
                .jsonPath("$.encrypt.pressed").isEqualTo(false)
                .jsonPath("$.sign.visible").isEqualTo(false)
                .jsonPath("$.sign.pressed").isEqualTo(false);
    }

    @Test
    void shouldPressSignButKeepTheConfiguredEncryptButtonUnderTheDefaultPolicy() {
        // the default signing policy (AUTO) signs every own sender; the user may still switch it off
        settings("peggy@corp.example")
                .jsonPath("$.encrypt.visible").isEqualTo(true)
                .jsonPath("$.encrypt.pressed").isEqualTo(false)
                .jsonPath("$.mayDisableEncryption").isEqualTo(true)
                .jsonPath("$.sign.visible").isEqualTo(true)
                .jsonPath("$.sign.pressed").isEqualTo(true);
    }
}
