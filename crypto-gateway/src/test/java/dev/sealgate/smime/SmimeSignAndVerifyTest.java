package dev.sealgate.smime;

import dev.sealgate.smime.TestPki.Identity;
import dev.sealgate.smime.TestPki.KeyKind;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SmimeSignAndVerifyTest {

    private static final TestPki PKI = TestPki.shared();

    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        for (KeyKind kind : KeyKind.values()) {
            for (DigestAlgorithm digest : DigestAlgorithm.values()) {
                for (SignatureFormat format : SignatureFormat.values()) {
                    all.add(Arguments.of(kind, digest, SignatureScheme.RSA_PKCS1_V15, format));
                    if (!kind.ec()) {
                        all.add(Arguments.of(kind, digest, SignatureScheme.RSA_PSS, format));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "we verify ours: {0} {2} {1} {3}")
    @MethodSource("combinations")
    void shouldVerifyWhatItSigned(KeyKind kind, DigestAlgorithm digest, SignatureScheme scheme, SignatureFormat format) {
        Identity alice = PKI.user(kind);
        SmimeSigner signer = new SmimeSigner(alice.key(), alice.chain(),
                SigningOptions.defaults().withDigest(digest).withScheme(scheme).withFormat(format));

        MimeMessage signed = Messages.reparse(signer.sign(Messages.text(alice.email(), "hello")));

        assertThat(SmimeInspector.detect(signed)).isEqualTo(format == SignatureFormat.DETACHED
                ? SmimeType.SIGNED_DETACHED : SmimeType.SIGNED_OPAQUE);
        VerificationResult result = new SmimeVerifier(PKI.trust()).verify(signed);
        assertThat(result.status()).as(result.reason()).isEqualTo(VerificationStatus.VALID);
        assertThat(result.signerAddress()).contains(alice.email());
        assertThat(result.signingTime()).isPresent();
        assertThat(result.capabilities().contentEncryptions()).containsExactly(ContentEncryption.AES256_GCM,
                ContentEncryption.AES128_GCM, ContentEncryption.AES256_CBC, ContentEncryption.AES128_CBC);
        assertThat(result.capabilities().keyEncryptions()).contains(KeyEncryption.RSA_OAEP, KeyEncryption.ECDH);
    }

    @Test
    void shouldKeepOuterHeadersAndSignTheAttachmentMessage() {
        Identity alice = PKI.user(KeyKind.RSA_2048);
        SmimeSigner signer = new SmimeSigner(alice.key(), alice.chain(), SigningOptions.defaults());

        MimeMessage signed = Messages.reparse(signer.sign(Messages.withAttachment(alice.email())));

        assertThat(Messages.string(signed)).contains("Subject: with attachment", "micalg=sha-256");
        assertThat(new SmimeVerifier(PKI.trust()).verify(signed).status()).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void shouldSignAndEncryptAMessageBuiltInCodeThatWasNeverWritten() throws Exception {
        Identity alice = PKI.user(KeyKind.EC_P384);
        MimeMessage built = new MimeMessage(Messages.SESSION);
        built.setFrom(alice.email());
        built.setSubject("built");
        built.setText("Grüße, built in code\n", "utf-8");

        MimeMessage signed = new SmimeSigner(alice.key(), alice.chain(), SigningOptions.defaultsFor(alice.certificate()))
                .sign(built);
        MimeMessage encrypted = new SmimeEncryptor(EncryptionOptions.defaults())
                .encrypt(signed, java.util.List.of(RecipientSpec.of(alice.certificate())));
        UnwrapResult result = new SmimeUnwrapper(new SmimeDecryptor(alice.resolver()), new SmimeVerifier(PKI.trust()))
                .unwrap(Messages.reparse(encrypted));

        assertThat(result.allSignaturesValid()).isTrue();
        assertThat(Messages.textOf(result.content())).isEqualTo("Grüße, built in code\r\n");
    }

    @Test
    void shouldKeepRaw8BitHeaderBytesExactlyAsReceived() {
        Identity alice = PKI.user(KeyKind.RSA_2048);
        byte[] wire = ("From: " + alice.email() + "\r\nSubject: Gr\u00fc\u00dfe\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Description: Gr\u00fc\u00dfe\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\nGr\u00fc\u00dfe\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);

        MimeMessage signed = Messages.reparse(new SmimeSigner(alice.key(), alice.chain(), SigningOptions.defaults())
                .sign(Messages.parse(wire)));

        String raw = new String(Messages.bytes(signed), java.nio.charset.StandardCharsets.ISO_8859_1);
        String utf8 = new String("Gr\u00fc\u00dfe".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(raw).contains("Subject: " + utf8 + "\r\n", "Content-Description: " + utf8 + "\r\n");
        assertThat(new SmimeVerifier(PKI.trust()).verify(signed).status()).isEqualTo(VerificationStatus.VALID);
    }
}
