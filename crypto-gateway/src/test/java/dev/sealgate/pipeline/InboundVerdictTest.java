package dev.sealgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How layer results combine into the overall stamp (docs/adr/0090-inbound-verdicts.md). */
class InboundVerdictTest {

    private static InboundVerdict.Layer signed(int n, VerdictWord word, boolean covers, String signer) {
        return new InboundVerdict.Layer(n, true, word, covers, Optional.of(signer));
    }

    private static InboundVerdict.Layer encrypted(int n, VerdictWord word) {
        return new InboundVerdict.Layer(n, false, word, false, Optional.empty());
    }

    @Test
    void shouldPickTheWorstFailingLayerAndTheOutermostOfEquals() {
        InboundVerdict verdict = new InboundVerdict(List.of(
                signed(1, VerdictWord.ADDRESS_MISMATCH, true, "dave@partner.test"),
                signed(2, VerdictWord.INVALID, true, "paula@partner.test"),
                signed(3, VerdictWord.INVALID, true, "carol@partner.test")), 0);

        assertThat(verdict.signatureHeader()).contains("invalid; signer=paula@partner.test; layer=2");
        assertThat(verdict.valid()).isFalse();
    }

    @Test
    void shouldSayNotCoveringWhenTheOnlyValidSignatureWrapsCiphertext() {
        InboundVerdict verdict = new InboundVerdict(List.of(
                signed(1, VerdictWord.VALID, false, "paula@partner.test"), encrypted(2, VerdictWord.DECRYPTED)), 0);

        assertThat(verdict.overall()).contains(VerdictWord.NOT_COVERING);
        assertThat(verdict.signatureHeader()).contains("not-covering; signer=paula@partner.test; layer=1");
    }

    @Test
    void shouldBeValidOnlyWithEveryOpenedSignatureValidAndOneCoveringTheContent() {
        InboundVerdict tripleWrap = new InboundVerdict(List.of(signed(1, VerdictWord.VALID, false, "paula@partner.test"),
                encrypted(2, VerdictWord.DECRYPTED), signed(3, VerdictWord.VALID, true, "paula@partner.test")), 0);

        assertThat(tripleWrap.signatureHeader()).contains("valid; signer=paula@partner.test");
        assertThat(tripleWrap.valid()).isTrue();
    }

    @Test
    void shouldStampNoSignatureVerdictForUnsignedOrUncheckedMail() {
        InboundVerdict encryptedOnly = new InboundVerdict(List.of(encrypted(1, VerdictWord.DECRYPTED)), 2);
        InboundVerdict unchecked = new InboundVerdict(List.of(signed(1, VerdictWord.VALID, true, "paula@partner.test")), 0)
                .unchecked();

        assertThat(encryptedOnly.signatureHeader()).isEmpty();
        assertThat(encryptedOnly.decryptedHeader(true)).isEqualTo("yes; left-closed=2");
        assertThat(unchecked.signatureHeader()).isEmpty();
        assertThat(unchecked.layers().get(0).header()).isEqualTo("signed; result=unchecked; covers=content; signer=paula@partner.test");
    }

    @Test
    void shouldNeverLetAnAddressBreakTheHeaderSyntax() {
        InboundVerdict verdict = new InboundVerdict(List.of(
                signed(1, VerdictWord.VALID, true, "evil@x.test; result=valid\r\nX-Injected: yes")), 0);

        assertThat(verdict.signatureHeader()).contains("valid; signer=evil@x.test??result=valid??X-Injected:?yes");
    }
}
