package dev.sealgate.smime.interop;

import dev.sealgate.smime.ContentEncryption;
import dev.sealgate.smime.DigestAlgorithm;
import dev.sealgate.smime.EncryptionOptions;
import dev.sealgate.smime.KeyEncryption;
import dev.sealgate.smime.Messages;
import dev.sealgate.smime.RecipientSpec;
import dev.sealgate.smime.SignatureFormat;
import dev.sealgate.smime.SignatureScheme;
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
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both directions against GnuPG's gpgsm 2.2. Where gpgsm 2.2 cannot do a combination, the test
 * asserts that it fails, so the known limit is proved rather than assumed:
 * no RSAES-OAEP, no AES-GCM (authenticated-enveloped-data), no EC keys for decryption or signing
 * (PKCS#12 import of EC keys fails), no encryption to EC certificates, no RSASSA-PSS signing option,
 * PKCS#12 import only of the legacy PBE-SHA1-3DES format, and no SHA-256 on a P-384 key
 * (hence {@link SigningOptions#defaultsFor}).
 */
class GpgsmInteropTest {

    private static final TestPki PKI = TestPki.shared();
    private static final String PASSPHRASE = "interop-test-only";
    private static final String ENTITY = "Content-Type: text/plain; charset=us-ascii\r\n\r\nhello from gpgsm\r\n";

    @TempDir
    static Path dir;
    private static Path home;
    private static final Map<KeyKind, Peer.Result> EC_KEY_IMPORTS = new java.util.EnumMap<>(KeyKind.class);

    @BeforeAll
    static void createThrowawayGnupgHome() throws IOException {
        Peer.require("gpgsm", "--version");
        Peer.require("openssl", "version");
        home = Files.createDirectory(dir.resolve("g"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.writeString(home.resolve("gpg-agent.conf"), "allow-loopback-pinentry\n");
        Files.writeString(home.resolve("gpgsm.conf"), "disable-crl-checks\ndisable-dirmngr\n");
        TestPki.writePem(dir.resolve("root.pem"), PKI.root());
        assertOk(gpgsm(null, "--import", dir.resolve("root.pem").toString()));
        Files.writeString(home.resolve("trustlist.txt"), rootFingerprint() + " S relax\n");
        for (KeyKind kind : KeyKind.values()) {
            Path pem = PKI.user(kind).writePem(dir.resolve(kind.name()));
            if (!kind.ec()) {
                assertOk(importLegacyPkcs12(kind, pem));
            } else {
                // Tried like the RSA keys; the outcome is asserted in gpgsmCannotImportEcKeys.
                EC_KEY_IMPORTS.put(kind, importLegacyPkcs12(kind, pem));
                assertOk(gpgsm(null, "--import", pem.resolve("cert.pem").toString()));
            }
        }
        Files.writeString(dir.resolve("entity.txt"), ENTITY);
    }

    @AfterAll
    static void killAgent() {
        if (home != null) {
            Peer.run(dir, env(), null, "gpgconf", "--kill", "all");
        }
    }

    static List<Combo.Sign> signCombos() {
        return Combo.allSign();
    }

    static List<Combo.Encrypt> encryptCombos() {
        return Combo.allEncrypt();
    }

    static List<Combo.Sign> gpgsmSignCombos() {
        List<Combo.Sign> all = new ArrayList<>();
        for (KeyKind k : KeyKind.values()) {
            for (DigestAlgorithm d : DigestAlgorithm.values()) {
                for (SignatureFormat f : SignatureFormat.values()) {
                    all.add(new Combo.Sign(k, SignatureScheme.RSA_PKCS1_V15, d, f));
                }
            }
        }
        return all;
    }

    static List<Combo.Encrypt> gpgsmEncryptCombos() {
        List<Combo.Encrypt> all = new ArrayList<>();
        for (KeyKind k : KeyKind.values()) {
            for (ContentEncryption c : List.of(ContentEncryption.AES128_CBC, ContentEncryption.AES256_CBC)) {
                all.add(new Combo.Encrypt(k, k.ec() ? KeyEncryption.ECDH : KeyEncryption.RSA_PKCS1_V15, c));
            }
        }
        return all;
    }

    /** gpgsm 2.2 decrypts RSA PKCS#1 v1.5 key transport with AES-CBC, nothing else. */
    static boolean gpgsmDecrypts(Combo.Encrypt c) {
        return c.keyEncryption() == KeyEncryption.RSA_PKCS1_V15 && !c.content().authenticated();
    }

    @ParameterizedTest(name = "gpgsm verifies ours: {0}")
    @MethodSource("signCombos")
    void gpgsmVerifiesOurSignature(Combo.Sign c) throws IOException {
        Identity alice = PKI.user(c.key());
        Path work = Files.createTempDirectory(dir, "t");
        SmimeSigner signer = new SmimeSigner(alice.key(), alice.chain(), SigningOptions.defaults()
                .withDigest(c.digest()).withScheme(c.scheme()).withFormat(c.format()));
        byte[] signed = Messages.bytes(signer.sign(Messages.text(alice.email(), "hello interop")));

        Peer.Result r;
        if (c.format() == SignatureFormat.DETACHED) {
            MimeCut.Detached parts = MimeCut.detached(signed);
            Files.write(work.resolve("content"), parts.content());
            Files.write(work.resolve("sig.p7s"), parts.signature());
            r = gpgsm(null, "--verify", work.resolve("sig.p7s").toString(), work.resolve("content").toString());
        } else {
            Files.write(work.resolve("signed.p7m"), MimeCut.opaque(signed));
            r = gpgsm(null, "--verify", "--output", work.resolve("content").toString(), work.resolve("signed.p7m").toString());
            assertThat(Files.readString(work.resolve("content"))).contains("hello interop");
        }

        if (c.key() == KeyKind.EC_P384 && c.digest() == DigestAlgorithm.SHA256) {
            assertThat(r.ok()).as("gpgsm 2.2 is known to reject a 256-bit hash on a P-384 key, but accepted " + c).isFalse();
            assertThat(r.stderr()).contains("a 256 bit hash is not valid for a 384 bit ECC key");
            return;
        }
        assertThat(r.ok()).as(r.describe()).isTrue();
        assertThat(r.stderr()).contains("Good signature");
    }

    @ParameterizedTest(name = "gpgsm decrypts ours: {0}")
    @MethodSource("encryptCombos")
    void gpgsmDecryptsOurMessageOrFailsWhereItCannot(Combo.Encrypt c) throws IOException {
        Identity bob = PKI.user(c.key());
        Path work = Files.createTempDirectory(dir, "t");
        SmimeEncryptor encryptor = new SmimeEncryptor(EncryptionOptions.defaults().withContentEncryption(c.content()));
        byte[] encrypted = Messages.bytes(encryptor.encrypt(Messages.text("alice@sealgate.test", "hello interop"),
                List.of(new RecipientSpec(bob.certificate(), c.keyEncryption()))));
        Files.write(work.resolve("enc.p7m"), MimeCut.opaque(encrypted));

        Peer.Result r = gpgsm(PASSPHRASE, "--decrypt", "--output", work.resolve("content").toString(),
                work.resolve("enc.p7m").toString());

        if (gpgsmDecrypts(c)) {
            assertThat(r.ok()).as(r.describe()).isTrue();
            assertThat(Files.readString(work.resolve("content"))).contains("hello interop");
        } else {
            assertThat(r.ok()).as("gpgsm 2.2 is known not to decrypt " + c + ", but it did").isFalse();
            assertThat(r.stderr()).containsPattern("decryption failed|error");
        }
    }

    @ParameterizedTest(name = "we verify gpgsm-signed: {0}")
    @MethodSource("gpgsmSignCombos")
    void weVerifyGpgsmSignatureOrGpgsmCannotSign(Combo.Sign c) throws IOException {
        Identity alice = PKI.user(c.key());
        Path work = Files.createTempDirectory(dir, "t");
        Path out = work.resolve("sig.p7s");

        Peer.Result r = gpgsm(PASSPHRASE, "--local-user", alice.email(), "--digest-algo", c.digest().name(),
                c.format() == SignatureFormat.DETACHED ? "--detach-sign" : "--sign", "--output", out.toString(),
                dir.resolve("entity.txt").toString());

        if (c.key().ec()) {
            assertThat(r.ok()).as("gpgsm 2.2 is known not to import EC keys, so it cannot sign with " + c).isFalse();
            return;
        }
        assertThat(r.ok()).as(r.describe()).isTrue();
        String headers = "From: " + alice.email() + "\r\nTo: bob@partner.example\r\nSubject: from gpgsm\r\n";
        byte[] wire = c.format() == SignatureFormat.DETACHED
                ? MimeCut.wrapDetached(headers, ENTITY.getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(out),
                c.digest().micalg())
                : MimeCut.wrapOpaque(headers, "signed-data", Files.readAllBytes(out));
        VerificationResult result = new SmimeVerifier(PKI.trust()).verify(Messages.parse(wire));

        assertThat(result.status()).as(result.reason()).isEqualTo(VerificationStatus.VALID);
    }

    @ParameterizedTest(name = "we decrypt gpgsm-encrypted: {0}")
    @MethodSource("gpgsmEncryptCombos")
    void weDecryptGpgsmMessageOrGpgsmCannotEncrypt(Combo.Encrypt c) throws IOException {
        Identity bob = PKI.user(c.key());
        Path work = Files.createTempDirectory(dir, "t");
        Path out = work.resolve("enc.p7m");

        Peer.Result r = gpgsm(null, "--recipient", bob.email(), "--cipher-algo",
                c.content() == ContentEncryption.AES128_CBC ? "AES128" : "AES256", "--encrypt", "--output", out.toString(),
                dir.resolve("entity.txt").toString());

        if (c.key().ec()) {
            assertThat(r.ok()).as("gpgsm 2.2 is known not to encrypt to EC certificates, but it did for " + c).isFalse();
            return;
        }
        assertThat(r.ok()).as(r.describe()).isTrue();
        MimeMessage decrypted = new SmimeDecryptor(bob.resolver()).decrypt(Messages.parse(MimeCut.wrapOpaque(
                "From: alice@sealgate.test\r\nTo: " + bob.email() + "\r\nSubject: from gpgsm\r\n", "enveloped-data",
                Files.readAllBytes(out))));

        assertThat(Messages.textOf(decrypted)).isEqualTo("hello from gpgsm\r\n");
    }

    @ParameterizedTest(name = "gpgsm imports PKCS#12 (legacy 3DES) with an EC key: refused, {0}")
    @org.junit.jupiter.params.provider.EnumSource(value = KeyKind.class, names = {"EC_P256", "EC_P384"})
    void gpgsmCannotImportEcKeys(KeyKind kind) {
        Peer.Result r = EC_KEY_IMPORTS.get(kind);

        assertThat(r.stderr()).as("gpgsm 2.2 is known not to import EC keys, but it did: " + r.describe())
                .doesNotContain("secret keys imported: 1");
        assertThat(gpgsm(null, "--list-secret-keys", PKI.user(kind).email()).stdout())
                .doesNotContain(PKI.user(kind).email());
    }

    @Test
    @DisplayName("gpgsm imports PKCS#12: modern AES-256/PBKDF2 format is refused (legacy 3DES is what works)")
    void gpgsmRefusesModernPkcs12() throws IOException {
        Path pem = dir.resolve(KeyKind.RSA_2048.name());
        Path p12 = pem.resolve("modern.p12");
        assertOk(Peer.run(dir, Map.of(), null, "openssl", "pkcs12", "-export", "-in", pem.resolve("cert.pem").toString(),
                "-inkey", pem.resolve("key.pem").toString(), "-out", p12.toString(), "-passout", "pass:" + PASSPHRASE));

        Peer.Result r = gpgsm(PASSPHRASE, "--import", p12.toString());

        assertThat(r.stderr()).contains("error parsing or decrypting the PKCS#12 file")
                .doesNotContain("secret keys imported: 1");
    }

    private static Peer.Result importLegacyPkcs12(KeyKind kind, Path pem) {
        Path p12 = pem.resolve("legacy.p12");
        assertOk(Peer.run(dir, Map.of(), null, "openssl", "pkcs12", "-export", "-certpbe", "PBE-SHA1-3DES", "-keypbe",
                "PBE-SHA1-3DES", "-macalg", "sha1", "-in", pem.resolve("cert.pem").toString(), "-inkey",
                pem.resolve("key.pem").toString(), "-certfile", dir.resolve("root.pem").toString(), "-out", p12.toString(),
                "-passout", "pass:" + PASSPHRASE));
        return gpgsm(PASSPHRASE, "--import", p12.toString());
    }

    private static Peer.Result gpgsm(String passphrase, String... args) {
        List<String> cmd = new ArrayList<>(List.of("gpgsm", "--batch", "--yes", "--disable-policy-checks"));
        byte[] stdin = null;
        if (passphrase != null) {
            cmd.addAll(List.of("--pinentry-mode", "loopback", "--passphrase-fd", "0"));
            stdin = (passphrase + "\n").getBytes(StandardCharsets.US_ASCII);
        }
        cmd.addAll(List.of(args));
        return Peer.run(dir, env(), stdin, cmd.toArray(new String[0]));
    }

    private static Map<String, String> env() {
        return Map.of("GNUPGHOME", home.toString());
    }

    private static void assertOk(Peer.Result r) {
        assertThat(r.ok()).as(r.describe()).isTrue();
    }

    private static String rootFingerprint() {
        try {
            return HexFormat.of().withUpperCase().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(PKI.root().getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
