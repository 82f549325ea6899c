package dev.sealgate.smime.interop;

import dev.sealgate.smime.EncryptionOptions;
import dev.sealgate.smime.Messages;
import dev.sealgate.smime.RecipientSpec;
import dev.sealgate.smime.SigningOptions;
import dev.sealgate.smime.SmimeDecryptor;
import dev.sealgate.smime.SmimeEncryptor;
import dev.sealgate.smime.SmimeSigner;
import dev.sealgate.smime.SmimeVerifier;
import dev.sealgate.smime.TestPki;
import dev.sealgate.smime.TestPki.Identity;
import dev.sealgate.smime.TestPki.KeyKind;
import dev.sealgate.smime.VerificationResult;
import dev.sealgate.smime.VerificationStatus;
import dev.sealgate.smime.SignatureFormat;
import dev.sealgate.smime.SignatureScheme;
import dev.sealgate.smime.KeyEncryption;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Both directions against OpenSSL's cms command, every combination it supports. */
class OpensslInteropTest {

    private static final TestPki PKI = TestPki.shared();
    private static final String ENTITY = "Content-Type: text/plain; charset=us-ascii\r\n\r\nhello from openssl\r\n";

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeKeysForOpenssl() throws IOException {
        Peer.require("openssl", "version");
        TestPki.writePem(dir.resolve("root.pem"), PKI.root());
        for (KeyKind kind : KeyKind.values()) {
            PKI.user(kind).writePem(dir.resolve(kind.name()));
        }
        Files.writeString(dir.resolve("entity.txt"), ENTITY);
    }

    static List<Combo.Sign> signCombos() {
        return Combo.allSign();
    }

    static List<Combo.Encrypt> encryptCombos() {
        return Combo.allEncrypt();
    }

    @ParameterizedTest(name = "openssl verifies ours: {0}")
    @MethodSource("signCombos")
    void opensslVerifiesOurSignature(Combo.Sign c) throws IOException {
        Identity alice = PKI.user(c.key());
        Path work = Files.createTempDirectory(dir, "t");
        SmimeSigner signer = new SmimeSigner(alice.key(), alice.chain(), SigningOptions.defaults()
                .withDigest(c.digest()).withScheme(c.scheme()).withFormat(c.format()));
        Messages.write(signer.sign(Messages.text(alice.email(), "hello interop")), work.resolve("signed.eml"));

        Peer.Result r = openssl(work, "cms", "-verify", "-in", "signed.eml", "-CAfile", root(), "-out", "content.txt");

        assertThat(r.ok()).as(r.describe()).isTrue();
        assertThat(Files.readString(work.resolve("content.txt"))).contains("hello interop");
    }

    @ParameterizedTest(name = "openssl decrypts ours: {0}")
    @MethodSource("encryptCombos")
    void opensslDecryptsOurMessage(Combo.Encrypt c) throws IOException {
        Identity bob = PKI.user(c.key());
        Path work = Files.createTempDirectory(dir, "t");
        SmimeEncryptor encryptor = new SmimeEncryptor(EncryptionOptions.defaults().withContentEncryption(c.content()));
        Messages.write(encryptor.encrypt(Messages.text("alice@sealgate.test", "hello interop"),
                List.of(new RecipientSpec(bob.certificate(), c.keyEncryption()))), work.resolve("enc.eml"));

        Peer.Result r = openssl(work, "cms", "-decrypt", "-in", "enc.eml", "-recip", pem(c.key(), "cert.pem"),
                "-inkey", pem(c.key(), "key.pem"), "-out", "content.txt");

        assertThat(r.ok()).as(r.describe()).isTrue();
        assertThat(Files.readString(work.resolve("content.txt"))).contains("hello interop");
    }

    @ParameterizedTest(name = "we verify openssl-signed: {0}")
    @MethodSource("signCombos")
    void weVerifyOpensslSignature(Combo.Sign c) throws IOException {
        Identity alice = PKI.user(c.key());
        Path work = Files.createTempDirectory(dir, "t");
        List<String> cmd = new ArrayList<>(List.of("cms", "-sign", "-in", entity(), "-signer", pem(c.key(), "cert.pem"),
                "-inkey", pem(c.key(), "key.pem"), "-md", Combo.opensslDigest(c.digest()), "-from", alice.email(),
                "-to", "bob@partner.example", "-subject", "from openssl", "-out", "signed.eml"));
        if (c.scheme() == SignatureScheme.RSA_PSS && !c.key().ec()) {
            cmd.addAll(List.of("-keyopt", "rsa_padding_mode:pss"));
        }
        if (c.format() == SignatureFormat.OPAQUE) {
            cmd.add("-nodetach");
        }
        Peer.Result r = openssl(work, cmd.toArray(new String[0]));
        assertThat(r.ok()).as(r.describe()).isTrue();

        MimeMessage signed = Messages.read(work.resolve("signed.eml"));
        VerificationResult result = new SmimeVerifier(PKI.trust()).verify(signed);

        assertThat(result.status()).as(result.reason()).isEqualTo(VerificationStatus.VALID);
        assertThat(result.signerAddress()).contains(alice.email());
    }

    @ParameterizedTest(name = "we decrypt openssl-encrypted: {0}")
    @MethodSource("encryptCombos")
    void weDecryptOpensslMessage(Combo.Encrypt c) throws IOException {
        Identity bob = PKI.user(c.key());
        Path work = Files.createTempDirectory(dir, "t");
        List<String> cmd = new ArrayList<>(List.of("cms", "-encrypt", "-in", entity(), Combo.opensslCipher(c.content()),
                "-from", "alice@sealgate.test", "-to", bob.email(), "-subject", "from openssl", "-out", "enc.eml",
                "-recip", pem(c.key(), "cert.pem")));
        if (c.keyEncryption() == KeyEncryption.RSA_OAEP) {
            cmd.addAll(List.of("-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"));
        }
        Peer.Result r = openssl(work, cmd.toArray(new String[0]));
        assertThat(r.ok()).as(r.describe()).isTrue();

        MimeMessage decrypted = new SmimeDecryptor(bob.resolver()).decrypt(Messages.read(work.resolve("enc.eml")));

        assertThat(Messages.textOf(decrypted)).isEqualTo("hello from openssl\r\n");
        assertThat(Messages.string(decrypted)).contains("Subject: from openssl");
    }

    @ParameterizedTest(name = "we decrypt openssl-encrypted to a subject key identifier (-keyid): {0}")
    @org.junit.jupiter.params.provider.EnumSource(value = KeyKind.class, names = {"RSA_2048", "EC_P384"})
    void weDecryptOpensslMessageAddressedBySubjectKeyIdentifier(KeyKind kind) throws IOException {
        Identity bob = PKI.user(kind);
        Path work = Files.createTempDirectory(dir, "t");
        Peer.Result r = openssl(work, "cms", "-encrypt", "-in", entity(), "-aes-256-cbc", "-keyid", "-to", bob.email(),
                "-subject", "keyid", "-out", "enc.eml", "-recip", pem(kind, "cert.pem"));
        assertThat(r.ok()).as(r.describe()).isTrue();
        List<dev.sealgate.smime.RecipientReference> asked = new ArrayList<>();

        MimeMessage decrypted = new SmimeDecryptor(ref -> {
            asked.add(ref);
            return bob.resolver().resolve(ref);
        }).decrypt(Messages.read(work.resolve("enc.eml")));

        assertThat(Messages.textOf(decrypted)).isEqualTo("hello from openssl\r\n");
        assertThat(asked).singleElement().satisfies(ref -> {
            assertThat(ref.issuer()).isEmpty();
            assertThat(ref.subjectKeyIdentifier()).isPresent();
        });
    }

    @ParameterizedTest(name = "openssl decrypts and verifies ours, signed then encrypted: {0}")
    @org.junit.jupiter.params.provider.EnumSource(value = KeyKind.class, names = {"RSA_3072", "EC_P256"})
    void opensslOpensOurSignedThenEncryptedMessageWithAttachment(KeyKind kind) throws IOException {
        Identity alice = PKI.user(kind);
        Path work = Files.createTempDirectory(dir, "t");
        MimeMessage signed = new SmimeSigner(alice.key(), alice.chain(), SigningOptions.defaultsFor(alice.certificate()))
                .sign(Messages.withAttachment(alice.email()));
        Messages.write(new SmimeEncryptor(EncryptionOptions.defaults()).encrypt(signed,
                List.of(RecipientSpec.of(alice.certificate()))), work.resolve("enc.eml"));

        Peer.Result decrypt = openssl(work, "cms", "-decrypt", "-in", "enc.eml", "-recip", pem(kind, "cert.pem"),
                "-inkey", pem(kind, "key.pem"), "-out", "signed.eml");
        assertThat(decrypt.ok()).as(decrypt.describe()).isTrue();
        Peer.Result verify = openssl(work, "cms", "-verify", "-in", "signed.eml", "-CAfile", root(), "-out", "content.eml");

        assertThat(verify.ok()).as(verify.describe()).isTrue();
        assertThat(Files.readString(work.resolve("content.eml"), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("see attached", "filename=data.bin");
    }

    @ParameterizedTest(name = "openssl decrypts and verifies ours, signed and encrypted in one pass: {0} {1}")
    @org.junit.jupiter.params.provider.CsvSource({"RSA_3072, DETACHED", "RSA_3072, OPAQUE", "EC_P256, DETACHED"})
    void opensslOpensOurMessageSignedAndEncryptedInOnePass(KeyKind kind, SignatureFormat format) throws IOException {
        Identity alice = PKI.user(kind);
        Path work = Files.createTempDirectory(dir, "t");
        SmimeSigner signer = new SmimeSigner(alice.key(), alice.chain(),
                SigningOptions.defaultsFor(alice.certificate()).withFormat(format));
        try (java.io.OutputStream out = Files.newOutputStream(work.resolve("enc.eml"))) {
            new SmimeEncryptor(EncryptionOptions.defaults())
                    .encryptSigned(Messages.withAttachment(alice.email()), signer, List.of(RecipientSpec.of(alice.certificate())), out);
        }

        Peer.Result decrypt = openssl(work, "cms", "-decrypt", "-in", "enc.eml", "-recip", pem(kind, "cert.pem"),
                "-inkey", pem(kind, "key.pem"), "-out", "signed.eml");
        assertThat(decrypt.ok()).as(decrypt.describe()).isTrue();
        Peer.Result verify = openssl(work, "cms", "-verify", "-in", "signed.eml", "-CAfile", root(), "-out", "content.eml");

        assertThat(verify.ok()).as(verify.describe()).isTrue();
        assertThat(Files.readString(work.resolve("content.eml"), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("see attached", "filename=data.bin");
        assertThat(Files.readString(work.resolve("enc.eml"), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("Subject: with attachment").doesNotContain("see attached");
    }

    static Peer.Result openssl(Path work, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return Peer.run(work, Map.of(), null, cmd);
    }

    private static String root() {
        return dir.resolve("root.pem").toString();
    }

    private static String entity() {
        return dir.resolve("entity.txt").toString();
    }

    private static String pem(KeyKind kind, String file) {
        return dir.resolve(kind.name()).resolve(file).toString();
    }
}
