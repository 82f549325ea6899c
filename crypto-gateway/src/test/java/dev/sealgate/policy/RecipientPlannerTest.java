package dev.sealgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.certs.SmimeCapabilities;
import dev.sealgate.policy.RecipientPlan.Disposition;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecipientPlannerTest {

    private static final String SENDER = "alice@own.example";

    private final RecipientPlanner planner = new RecipientPlanner();
    private final FakeLookups lookups = new FakeLookups();

    /** Policies, certificates and keys for the planner, built per test. */
    private static final class FakeLookups implements RecipientPlanner.Lookups {
        final Map<String, CryptoPolicy> policies = new HashMap<>();
        final Map<String, RecipientCertificate> trusted = new HashMap<>();
        final Map<String, RecipientCertificate> untrusted = new HashMap<>();
        final Set<String> signingKeys = new HashSet<>();
        boolean canEnroll;

        FakeLookups policy(String scope, CryptoPolicy policy) {
            policies.put(scope, policy);
            return this;
        }

        FakeLookups certificate(String address, String... capabilities) {
            trusted.put(address, new RecipientCertificate(trusted.size() + 1, "fp-" + address, "RSA", SmimeCapabilities.of(capabilities)));
            return this;
        }

        @Override
        public EffectivePolicy policyFor(String address) {
            String domain = address.substring(address.indexOf('@') + 1);
            CryptoPolicy effective = CryptoPolicy.DEFAULTS
                    .overriddenBy(policies.getOrDefault("global", CryptoPolicy.INHERIT))
                    .overriddenBy(policies.getOrDefault(domain, CryptoPolicy.INHERIT))
                    .overriddenBy(policies.getOrDefault(address, CryptoPolicy.INHERIT));
            return new EffectivePolicy(address, effective);
        }

        @Override
        public Optional<RecipientCertificate> encryptionCertificate(String address, boolean includeUntrusted) {
            RecipientCertificate found = trusted.get(address);
            if (found == null && includeUntrusted) {
                found = untrusted.get(address);
            }
            return Optional.ofNullable(found);
        }

        @Override
        public boolean hasSigningKey(String sender) {
            return signingKeys.contains(sender);
        }

        @Override
        public boolean canEnroll(String sender) {
            return canEnroll;
        }
    }

    private static CryptoPolicy encryption(EncryptionMode mode) {
        return new CryptoPolicy(null, null, mode, null, null, null, null, null, null, null, null, null);
    }

    private static CryptoPolicy encryption(EncryptionMode mode, MissingCertificateAction missing) {
        return new CryptoPolicy(null, null, mode, missing, null, null, null, null, null, null, null, null);
    }

    private static CryptoPolicy signing(SigningMode mode) {
        return new CryptoPolicy(mode, null, null, null, null, null, null, null, null, null, null, null);
    }

    private RecipientPlan plan(ProtectionRequest request, String... recipients) {
        return planner.plan(new RecipientPlanner.Message(SENDER, List.of(recipients), request, false), lookups);
    }

    @Test
    void shouldEncryptOpportunisticallyWhenEveryRecipientHasACertificate() {
        lookups.certificate("bob@partner.example").certificate("carol@other.example");

        RecipientPlan plan = plan(ProtectionRequest.NONE, "bob@partner.example", "carol@other.example");

        assertThat(plan.groups()).hasSize(1);
        assertThat(plan.groups().get(0).disposition()).isEqualTo(Disposition.ENCRYPT);
        assertThat(plan.groups().get(0).addresses()).containsExactly("bob@partner.example", "carol@other.example");
    }

    @Test
    void shouldSendOpportunisticRecipientsPlainWhenOneLacksACertificate() {
        lookups.certificate("bob@partner.example");

        RecipientPlan plan = plan(ProtectionRequest.NONE, "bob@partner.example", "carol@other.example");

        assertThat(plan.groups()).extracting(RecipientPlan.Group::disposition).containsExactly(Disposition.PLAIN);
        assertThat(plan.recipient("bob@partner.example").reason()).contains("none for carol@other.example");
    }

    @Test
    void shouldSplitMandatoryOpportunisticAndRejectedRecipientsIntoGroups() {
        lookups.policy("partner.example", encryption(EncryptionMode.MANDATORY))
                .policy("nocert.example", encryption(EncryptionMode.MANDATORY, MissingCertificateAction.REJECT))
                .certificate("bob@partner.example");

        RecipientPlan plan = plan(ProtectionRequest.NONE, "bob@partner.example", "dan@nocert.example", "erin@plain.example");

        assertThat(plan.groupOf("bob@partner.example").disposition()).isEqualTo(Disposition.ENCRYPT);
        assertThat(plan.groupOf("erin@plain.example").disposition()).isEqualTo(Disposition.PLAIN);
        assertThat(plan.groupOf("dan@nocert.example").disposition()).isEqualTo(Disposition.REJECT);
        assertThat(plan.recipient("dan@nocert.example").reason())
                .isEqualTo("no certificate for dan@nocert.example: encryption is mandatory for dan@nocert.example; "
                        + "import one or change the policy");
        assertThat(plan.groups()).extracting(RecipientPlan.Group::disposition)
                .containsExactly(Disposition.ENCRYPT, Disposition.PLAIN, Disposition.REJECT);
    }

    @Test
    void shouldHoldOrSendPlainWhenThePolicySaysSoAndTakeTheStricterOfBothSides() {
        lookups.policy("hold.example", encryption(EncryptionMode.MANDATORY, MissingCertificateAction.HOLD))
                .policy("plain.example", encryption(EncryptionMode.MANDATORY, MissingCertificateAction.SEND_PLAIN))
                .policy("global", encryption(null, MissingCertificateAction.SEND_PLAIN));

        RecipientPlan plan = plan(ProtectionRequest.NONE, "a@hold.example", "b@plain.example");

        assertThat(plan.groupOf("a@hold.example").disposition()).isEqualTo(Disposition.HOLD);
        assertThat(plan.groupOf("b@plain.example").disposition()).isEqualTo(Disposition.PLAIN);
        assertThat(plan.recipient("b@plain.example").reason()).contains("sent plain as the policy allows");

        lookups.policy(SENDER, encryption(null, MissingCertificateAction.REJECT));
        assertThat(plan(ProtectionRequest.NONE, "b@plain.example").groupOf("b@plain.example").disposition())
                .isEqualTo(Disposition.REJECT);
    }

    @Test
    void shouldChooseAlgorithmsFromAdvertisedCapabilitiesAndGroupByContentAlgorithm() {
        lookups.certificate("modern@partner.example", SmimeCapabilities.AES256_GCM, SmimeCapabilities.RSAES_OAEP)
                .certificate("legacy@partner.example")
                .certificate("oaeponly@partner.example", SmimeCapabilities.RSAES_OAEP);

        RecipientPlan plan = plan(ProtectionRequest.NONE, "modern@partner.example", "legacy@partner.example",
                "oaeponly@partner.example");

        assertThat(plan.groups(Disposition.ENCRYPT)).extracting(RecipientPlan.Group::contentEncryption)
                .containsExactly(ContentEncryption.AES_256_GCM, ContentEncryption.AES_256_CBC);
        assertThat(plan.recipient("modern@partner.example").keyEncryption()).isEqualTo(KeyEncryption.RSAES_OAEP);
        assertThat(plan.recipient("legacy@partner.example").keyEncryption()).isEqualTo(KeyEncryption.RSA_PKCS1_V1_5);
        assertThat(plan.recipient("oaeponly@partner.example").keyEncryption()).isEqualTo(KeyEncryption.RSAES_OAEP);
        assertThat(plan.groupOf("oaeponly@partner.example").contentEncryption()).isEqualTo(ContentEncryption.AES_256_CBC);
    }

    @Test
    void shouldHonourAlgorithmPinsOfAPartner() {
        lookups.policy("partner.example", new CryptoPolicy(null, null, null, null, null, null,
                        ContentEncryption.AES_256_CBC, KeyEncryption.RSA_PKCS1_V1_5, null, null, null, null))
                .certificate("modern@partner.example", SmimeCapabilities.AES256_GCM, SmimeCapabilities.RSAES_OAEP);

        RecipientPlan.Recipient modern = plan(ProtectionRequest.NONE, "modern@partner.example").recipient("modern@partner.example");

        assertThat(modern.keyEncryption()).isEqualTo(KeyEncryption.RSA_PKCS1_V1_5);
        assertThat(plan(ProtectionRequest.NONE, "modern@partner.example").groupOf("modern@partner.example").contentEncryption())
                .isEqualTo(ContentEncryption.AES_256_CBC);
    }

    @Test
    void shouldNotLetAPlainRequestWeakenMandatoryEncryption() {
        lookups.policy("partner.example", encryption(EncryptionMode.MANDATORY)).certificate("bob@partner.example");

        RecipientPlan plan = plan(SubjectFlags.parse("[plain] hi").request(), "bob@partner.example", "carol@other.example");

        assertThat(plan.groupOf("bob@partner.example").disposition()).isEqualTo(Disposition.ENCRYPT);
        assertThat(plan.groupOf("carol@other.example").disposition()).isEqualTo(Disposition.PLAIN);
        assertThat(plan.notes()).anyMatch(n -> n.contains("plain request was overruled for bob@partner.example"));
    }

    @Test
    void shouldRequireEncryptionWhenRequestedAndRejectWhereThePolicySaysNever() {
        lookups.policy("global", encryption(EncryptionMode.WHEN_REQUESTED))
                .policy("never.example", encryption(EncryptionMode.NEVER))
                .certificate("bob@partner.example").certificate("nina@never.example");

        RecipientPlan plan = plan(new ProtectionRequest(true, null), "bob@partner.example", "carl@nocert.example",
                "nina@never.example");

        assertThat(plan.groupOf("bob@partner.example").disposition()).isEqualTo(Disposition.ENCRYPT);
        assertThat(plan.groupOf("carl@nocert.example").disposition()).isEqualTo(Disposition.REJECT);
        assertThat(plan.recipient("carl@nocert.example").reason()).contains("encryption was requested by the sender");
        assertThat(plan.groupOf("nina@never.example").disposition()).isEqualTo(Disposition.REJECT);
        assertThat(plan(ProtectionRequest.NONE, "bob@partner.example").groupOf("bob@partner.example").disposition())
                .isEqualTo(Disposition.PLAIN);
    }

    @Test
    void shouldNotEncryptMeetingRequestsOpportunisticallyButStillWhenMandatory() {
        lookups.policy("partner.example", encryption(EncryptionMode.MANDATORY))
                .certificate("bob@partner.example").certificate("carol@other.example");

        RecipientPlan plan = planner.plan(new RecipientPlanner.Message(SENDER,
                List.of("bob@partner.example", "carol@other.example"), ProtectionRequest.NONE, true), lookups);

        assertThat(plan.groupOf("bob@partner.example").disposition()).isEqualTo(Disposition.ENCRYPT);
        assertThat(plan.groupOf("carol@other.example").disposition()).isEqualTo(Disposition.PLAIN);
        assertThat(plan.recipient("carol@other.example").reason()).startsWith("meeting request");
    }

    @Test
    void shouldUseUntrustedCertificatesOnlyWhereThePolicyAllows() {
        lookups.policy("partner.example", encryption(EncryptionMode.MANDATORY));
        lookups.untrusted.put("bob@partner.example", new RecipientCertificate(9, "fp", "RSA", SmimeCapabilities.none()));

        assertThat(plan(ProtectionRequest.NONE, "bob@partner.example").groupOf("bob@partner.example").disposition())
                .isEqualTo(Disposition.REJECT);

        lookups.policy("bob@partner.example", new CryptoPolicy(null, null, null, null, true, null, null, null, null, null, null, null));
        assertThat(plan(ProtectionRequest.NONE, "bob@partner.example").groupOf("bob@partner.example").disposition())
                .isEqualTo(Disposition.ENCRYPT);
    }

    @Test
    void shouldSignWhenAKeyExistsAndHonourNoSignUnlessSigningIsMandatory() {
        lookups.signingKeys.add(SENDER);

        assertThat(plan(ProtectionRequest.NONE, "bob@partner.example").sign()).isTrue();
        assertThat(plan(new ProtectionRequest(null, false), "bob@partner.example").sign()).isFalse();

        lookups.policy(SENDER, signing(SigningMode.ALWAYS));
        RecipientPlan always = plan(new ProtectionRequest(null, false), "bob@partner.example");
        assertThat(always.sign()).isTrue();
        assertThat(always.notes()).anyMatch(n -> n.contains("no-sign request was overruled"));
    }

    @Test
    void shouldHoldWholeMessageForEnrollmentOrRejectWhenSigningIsMandatoryWithoutKey() {
        lookups.policy(SENDER, signing(SigningMode.ALWAYS));
        lookups.canEnroll = true;

        RecipientPlan held = plan(ProtectionRequest.NONE, "bob@partner.example", "carol@other.example");
        assertThat(held.groups()).singleElement().satisfies(g -> {
            assertThat(g.disposition()).isEqualTo(Disposition.HOLD);
            assertThat(g.addresses()).containsExactly("bob@partner.example", "carol@other.example");
        });

        lookups.canEnroll = false;
        RecipientPlan rejected = plan(ProtectionRequest.NONE, "bob@partner.example");
        assertThat(rejected.groups()).singleElement().extracting(RecipientPlan.Group::disposition).isEqualTo(Disposition.REJECT);
        assertThat(rejected.recipient("bob@partner.example").reason())
                .startsWith("no signing certificate for alice@own.example: signing is mandatory");
    }

    @Test
    void shouldNotSignUnderNeverEvenWhenAskedAndSayWhy() {
        lookups.signingKeys.add(SENDER);
        lookups.policy("own.example", signing(SigningMode.NEVER));

        RecipientPlan plan = plan(new ProtectionRequest(null, true), "bob@partner.example");

        assertThat(plan.sign()).isFalse();
        assertThat(plan.notes()).anyMatch(n -> n.contains("says NEVER"));
    }

    @Test
    void shouldMergeDuplicateRecipientsWithDifferentDomainCase() {
        lookups.certificate("bob@partner.example");

        RecipientPlan plan = plan(ProtectionRequest.NONE, "bob@partner.example", "bob@PARTNER.example");

        assertThat(plan.groups()).singleElement().extracting(RecipientPlan.Group::addresses)
                .isEqualTo(List.of("bob@partner.example"));
    }

    @Test
    void shouldUseEcdhForEcCertificates() {
        lookups.trusted.put("eve@partner.example", new RecipientCertificate(5, "fp-ec", "EC",
                SmimeCapabilities.of(SmimeCapabilities.RSAES_OAEP)));

        assertThat(plan(ProtectionRequest.NONE, "eve@partner.example").recipient("eve@partner.example").keyEncryption())
                .isEqualTo(KeyEncryption.ECDH);
    }
}
