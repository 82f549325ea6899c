package dev.sealgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InboundDecisionTest {

    private static EffectivePolicy partner(InboundRequirement requirement) {
        return EffectivePolicy.of("bob@partner.example",
                new CryptoPolicy(null, null, null, null, null, null, null, null, null, null, null, requirement));
    }

    private static EffectivePolicy own(UndecryptableAction undecryptable) {
        return EffectivePolicy.of("alice@own.example",
                new CryptoPolicy(null, null, null, null, null, null, null, null, null, undecryptable, null, null));
    }

    @Test
    void shouldDecryptAndVerifyWhenTheKeyIsHeld() {
        InboundDecision decision = InboundDecision.decide(partner(InboundRequirement.NONE), own(null),
                new InboundDecision.Facts(true, true, false));

        assertThat(decision.action()).isEqualTo(InboundDecision.Action.DELIVER);
        assertThat(decision.decrypt()).isTrue();
        assertThat(decision.verify()).isTrue();
    }

    @Test
    void shouldDeliverEncryptedOrRejectWithoutKeyByPolicy() {
        InboundDecision.Facts noKey = new InboundDecision.Facts(true, false, false);

        assertThat(InboundDecision.decide(partner(InboundRequirement.NONE), own(null), noKey).action())
                .isEqualTo(InboundDecision.Action.DELIVER_ENCRYPTED);
        InboundDecision rejected = InboundDecision.decide(partner(InboundRequirement.NONE), own(UndecryptableAction.REJECT), noKey);
        assertThat(rejected.action()).isEqualTo(InboundDecision.Action.REJECT);
        assertThat(rejected.reason()).contains("alice@own.example").contains("PKCS#12");
    }

    @Test
    void shouldRejectPartnerMailThatLacksWhatThePolicyRequires() {
        InboundDecision unsigned = InboundDecision.decide(partner(InboundRequirement.SIGNED), own(null),
                new InboundDecision.Facts(false, false, false));
        InboundDecision unencrypted = InboundDecision.decide(partner(InboundRequirement.ENCRYPTED), own(null),
                new InboundDecision.Facts(false, false, true));
        InboundDecision encryptedNeedsInnerSignature = InboundDecision.decide(partner(InboundRequirement.SIGNED_AND_ENCRYPTED),
                own(null), new InboundDecision.Facts(true, true, false));

        assertThat(unsigned.action()).isEqualTo(InboundDecision.Action.REJECT);
        assertThat(unsigned.reason()).isEqualTo("mail from bob@partner.example must be signed (policy SIGNED) but came unsigned");
        assertThat(unencrypted.action()).isEqualTo(InboundDecision.Action.REJECT);
        assertThat(encryptedNeedsInnerSignature.action()).isEqualTo(InboundDecision.Action.DELIVER);
        assertThat(encryptedNeedsInnerSignature.signatureRequired()).isTrue();
    }
}
