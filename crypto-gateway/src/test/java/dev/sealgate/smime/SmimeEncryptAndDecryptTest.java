package dev.sealgate.smime;

import dev.sealgate.smime.TestPki.Identity;
import dev.sealgate.smime.TestPki.KeyKind;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmimeEncryptAndDecryptTest {

    private static final TestPki PKI = TestPki.shared();

    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        for (KeyKind kind : KeyKind.values()) {
            List<KeyEncryption> keys = kind.ec() ? List.of(KeyEncryption.ECDH)
                    : List.of(KeyEncryption.RSA_PKCS1_V15, KeyEncryption.RSA_OAEP);
            for (KeyEncryption key : keys) {
                for (ContentEncryption content : ContentEncryption.values()) {
                    all.add(Arguments.of(kind, key, content));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "we decrypt ours: {0} {1} {2}")
    @MethodSource("combinations")
    void shouldDecryptWhatItEncrypted(KeyKind kind, KeyEncryption key, ContentEncryption content) {
        Identity bob = PKI.user(kind);
        SmimeEncryptor encryptor = new SmimeEncryptor(EncryptionOptions.defaults().withContentEncryption(content));

        MimeMessage encrypted = Messages.reparse(encryptor.encrypt(Messages.text("alice@sealgate.test", "secret"),
                List.of(new RecipientSpec(bob.certificate(), key))));

        assertThat(SmimeInspector.detect(encrypted))
                .isEqualTo(content.authenticated() ? SmimeType.AUTH_ENVELOPED : SmimeType.ENVELOPED);
        assertThat(Messages.string(encrypted)).doesNotContain("secret").contains("Subject: test");
        MimeSupport.Buffer out = new MimeSupport.Buffer();
        DecryptionResult result = new SmimeDecryptor(bob.resolver()).decrypt(encrypted, out);
        assertThat(result.contentEncryption()).contains(content);
        assertThat(result.recipient().keyEncryption()).isEqualTo(key);
        MimeMessage decrypted = out.toMessage();
        assertThat(Messages.textOf(decrypted)).isEqualTo("secret\r\n");
        assertThat(Messages.string(decrypted)).contains("Subject: test", "From: alice@sealgate.test");
    }

    @ParameterizedTest(name = "bare CMS, streaming provider for large bodies: {0}")
    @org.junit.jupiter.params.provider.EnumSource(ContentEncryption.class)
    void shouldDecryptBareCmsOfUnknownSize(ContentEncryption content) throws Exception {
        Identity bob = PKI.user(KeyKind.EC_P384);
        MimeMessage encrypted = new SmimeEncryptor(EncryptionOptions.defaults().withContentEncryption(content))
                .encrypt(Messages.text("alice@sealgate.test", "bare"), List.of(RecipientSpec.of(bob.certificate())));
        java.io.ByteArrayOutputStream entity = new java.io.ByteArrayOutputStream();

        try (java.io.InputStream der = encrypted.getInputStream()) {
            new SmimeDecryptor(bob.resolver()).decryptCms(der, entity);
        }

        assertThat(entity.toString(java.nio.charset.StandardCharsets.US_ASCII)).endsWith("\r\n\r\nbare\r\n");
    }

    @Test
    void shouldEncryptToManyRecipientsAndToSelf() {
        Identity alice = PKI.user(KeyKind.RSA_2048);
        Identity bob = PKI.user(KeyKind.RSA_3072);
        Identity carol = PKI.user(KeyKind.EC_P256);
        Identity dave = PKI.user(KeyKind.EC_P384);
        SmimeEncryptor encryptor = new SmimeEncryptor(EncryptionOptions.defaults()
                .withEncryptToSelf(RecipientSpec.of(alice.certificate())));

        MimeMessage encrypted = encryptor.encrypt(Messages.withAttachment(alice.email()), List.of(
                new RecipientSpec(bob.certificate(), KeyEncryption.RSA_OAEP), RecipientSpec.of(carol.certificate()),
                RecipientSpec.of(dave.certificate())));

        for (Identity reader : List.of(alice, bob, carol, dave)) {
            MimeMessage decrypted = new SmimeDecryptor(reader.resolver()).decrypt(encrypted);
            assertThat(Messages.textOf(decrypted)).isEqualTo("see attached\r\n");
        }
    }

    @Test
    void shouldDefaultToAes256CbcWithPkcs1ForRsa() {
        Identity bob = PKI.user(KeyKind.RSA_2048);
        MimeMessage encrypted = new SmimeEncryptor(EncryptionOptions.defaults())
                .encrypt(Messages.text("alice@sealgate.test", "x"), List.of(RecipientSpec.of(bob.certificate())));

        DecryptionResult result = new SmimeDecryptor(bob.resolver()).decrypt(encrypted, java.io.OutputStream.nullOutputStream());

        assertThat(result.contentEncryption()).contains(ContentEncryption.AES256_CBC);
        assertThat(result.recipient().keyEncryption()).isEqualTo(KeyEncryption.RSA_PKCS1_V15);
    }

    @Test
    void shouldResolveKeyBySubjectKeyIdentifierWhenThatIsAllTheCallbackKnows() {
        Identity bob = PKI.user(KeyKind.RSA_2048);
        MimeMessage encrypted = new SmimeEncryptor(EncryptionOptions.defaults())
                .encrypt(Messages.text("alice@sealgate.test", "x"), List.of(RecipientSpec.of(bob.certificate())));
        List<RecipientReference> asked = new ArrayList<>();

        new SmimeDecryptor(ref -> {
            asked.add(ref);
            return ref.matches(bob.certificate()) ? Optional.of(bob.key()) : Optional.empty();
        }).decrypt(encrypted);

        assertThat(asked).singleElement().satisfies(ref -> {
            assertThat(ref.issuer()).contains(PKI.root().getSubjectX500Principal());
            assertThat(ref.serialNumber()).contains(bob.certificate().getSerialNumber());
        });
    }

    @Test
    void shouldNameTheRecipientWhenNoKeyIsFound() {
        Identity bob = PKI.user(KeyKind.RSA_2048);
        MimeMessage encrypted = new SmimeEncryptor(EncryptionOptions.defaults())
                .encrypt(Messages.text("alice@sealgate.test", "x"), List.of(RecipientSpec.of(bob.certificate())));

        assertThatThrownBy(() -> new SmimeDecryptor(ref -> Optional.empty()).decrypt(encrypted))
                .isInstanceOf(SmimeKeyNotFoundException.class)
                .hasMessageStartingWith("no private key for recipient issuer=" + PKI.root().getSubjectX500Principal().getName())
                .hasMessageContaining("serial=" + bob.certificate().getSerialNumber().toString(16))
                .hasMessageEndingWith("import the key or check the certificate the sender used");
    }

    @Test
    void shouldRefuseARecipientCertificateWithoutKeyEncipherment() {
        Identity signOnly = PKI.withoutEncryptionUsage(KeyKind.RSA_2048);

        assertThatThrownBy(() -> new SmimeEncryptor(EncryptionOptions.defaults())
                .encrypt(Messages.text("alice@sealgate.test", "x"), List.of(RecipientSpec.of(signOnly.certificate()))))
                .isInstanceOf(SmimeCertificateException.class)
                .hasMessageContaining("lacks key usage keyEncipherment");
    }

    @Test
    void shouldRefuseOaepForAnEcKey() {
        Identity ec = PKI.user(KeyKind.EC_P256);

        assertThatThrownBy(() -> new RecipientSpec(ec.certificate(), KeyEncryption.RSA_OAEP))
                .isInstanceOf(SmimeCertificateException.class)
                .hasMessageContaining("choose ECDH");
    }
}
