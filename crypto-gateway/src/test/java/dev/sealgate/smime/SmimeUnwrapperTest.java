package dev.sealgate.smime;

import dev.sealgate.smime.TestPki.Identity;
import dev.sealgate.smime.TestPki.KeyKind;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmimeUnwrapperTest {

    private static final TestPki PKI = TestPki.shared();
    private final Identity alice = PKI.user(KeyKind.EC_P256);
    private final Identity bob = PKI.user(KeyKind.RSA_3072);
    private final SmimeUnwrapper unwrapper = new SmimeUnwrapper(new SmimeDecryptor(bob.resolver()),
            new SmimeVerifier(PKI.trust()));

    @Test
    void shouldUnwrapSignedInsideEncryptedInsideSignedReportingEachLayer() {
        SmimeSigner detached = new SmimeSigner(alice.key(), alice.chain(), SigningOptions.defaults());
        SmimeSigner opaque = new SmimeSigner(alice.key(), alice.chain(),
                SigningOptions.defaults().withFormat(SignatureFormat.OPAQUE));
        SmimeEncryptor encryptor = new SmimeEncryptor(EncryptionOptions.defaults()
                .withContentEncryption(ContentEncryption.AES128_GCM));
        MimeMessage inner = detached.sign(Messages.text(alice.email(), "triple wrapped"));
        MimeMessage middle = encryptor.encrypt(inner, List.of(RecipientSpec.of(bob.certificate())));
        MimeMessage outer = opaque.sign(middle);

        UnwrapResult result = unwrapper.unwrap(Messages.reparse(outer));

        assertThat(result.layers()).extracting(SmimeLayer::type).containsExactly(
                SmimeType.SIGNED_OPAQUE, SmimeType.AUTH_ENVELOPED, SmimeType.SIGNED_DETACHED);
        assertThat(result.layers().get(0).verification().orElseThrow().status()).isEqualTo(VerificationStatus.VALID);
        assertThat(result.layers().get(1).decryption().orElseThrow().contentEncryption())
                .contains(ContentEncryption.AES128_GCM);
        assertThat(result.layers().get(2).verification().orElseThrow().status()).isEqualTo(VerificationStatus.VALID);
        assertThat(result.allSignaturesValid()).isTrue();
        assertThat(Messages.textOf(result.content())).isEqualTo("triple wrapped\r\n");
    }

    @Test
    void shouldReportABadInnerSignatureWithoutStopping() {
        String signed = Messages.string(new SmimeSigner(alice.key(), alice.chain(), SigningOptions.defaults())
                .sign(Messages.text(alice.email(), "original"))).replace("original", "modified");
        MimeMessage encrypted = new SmimeEncryptor(EncryptionOptions.defaults())
                .encrypt(Messages.parse(signed), List.of(RecipientSpec.of(bob.certificate())));

        UnwrapResult result = unwrapper.unwrap(encrypted);

        assertThat(result.layers()).hasSize(2);
        assertThat(result.layers().get(1).verification().orElseThrow().status()).isEqualTo(VerificationStatus.BAD_SIGNATURE);
        assertThat(result.allSignaturesValid()).isFalse();
    }

    @Test
    void shouldReturnAPlainMessageUntouched() {
        UnwrapResult result = unwrapper.unwrap(Messages.text(alice.email(), "plain"));

        assertThat(result.layers()).isEmpty();
        assertThat(result.allSignaturesValid()).isFalse();
    }

    @Test
    void shouldStopAtACraftedDeepNesting() {
        SmimeSigner opaque = new SmimeSigner(alice.key(), alice.chain(),
                SigningOptions.defaults().withFormat(SignatureFormat.OPAQUE));
        MimeMessage m = Messages.text(alice.email(), "deep");
        for (int i = 0; i <= SmimeUnwrapper.MAX_LAYERS; i++) {
            m = opaque.sign(m);
        }
        MimeMessage deep = m;

        assertThatThrownBy(() -> unwrapper.unwrap(deep)).isInstanceOf(SmimeFormatException.class)
                .hasMessageContaining("nested S/MIME layers");
    }
}
