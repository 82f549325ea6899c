package dev.sealgate.smime.interop;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both directions against NSS's cmsutil (3.87, the library inside Thunderbird), the third judge of
 * the interop matrix beside openssl and gpgsm (ADR 0092). Where NSS cannot do a combination, the
 * test asserts that it fails, so the limit is a tested fact: it verifies every signature of the
 * matrix (PSS and ECDSA included), decrypts only RSA PKCS#1 v1.5 key transport with AES-CBC
 * ({@link #nssDecrypts}), and cannot encrypt to EC certificates.
 */
class NssInteropTest {

    private static final TestPki PKI = TestPki.shared();
    private static final String ENTITY = "Content-Type: text/plain; charset=us-ascii\r\n\r\nhello from nss\r\n";

    @TempDir
    static Path dir;
    private static Nss nss;

    @BeforeAll
    static void createThrowawayNssDatabase() {
        nss = new Nss(dir).trust(PKI.root(), "Sealgate Test Root CA");
        for (KeyKind kind : KeyKind.values()) {
            nss.addKey(PKI.user(kind));
        }
    }

    static List<Combo.Sign> signCombos() {
        return Combo.allSign();
    }

    static List<Combo.Encrypt> encryptCombos() {
        return Combo.allEncrypt();
    }

    static List<Combo.Sign> nssSignCombos() {
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

    /**
     * NSS 3.87's cmsutil reads enveloped-data with RSA PKCS#1 v1.5 key transport only: no
     * auth-enveloped-data (GCM), no RSAES-OAEP, no ECDH key agreement (SEC_ERROR_BAD_DER).
     */
    static boolean nssDecrypts(Combo.Encrypt c) {
        return !c.content().authenticated() && c.keyEncryption() == KeyEncryption.RSA_PKCS1_V15;
    }

    @ParameterizedTest(name = "cmsutil verifies ours: {0}")
    @MethodSource("signCombos")
    void nssVerifiesOurSignature(Combo.Sign c) {
        Identity alice = PKI.user(c.key());
        SmimeSigner signer = new SmimeSigner(alice.key(), alice.chain(), SigningOptions.defaults()
                .withDigest(c.digest()).withScheme(c.scheme()).withFormat(c.format()));
        byte[] signed = Messages.bytes(signer.sign(Messages.text(alice.email(), "hello interop")));

        Peer.Result r;
        if (c.format() == SignatureFormat.DETACHED) {
            MimeCut.Detached parts = MimeCut.detached(signed);
            r = nss.decode(parts.signature(), parts.content());
        } else {
            r = nss.decode(MimeCut.opaque(signed), null);
        }

        assertThat(r.ok()).as(r.describe()).isTrue();
        assertThat(r.stdout() + r.stderr()).contains("signer0.status=GoodSignature");
    }

    @ParameterizedTest(name = "cmsutil decrypts ours: {0}")
    @MethodSource("encryptCombos")
    void nssDecryptsOurMessageOrFailsWhereItCannot(Combo.Encrypt c) {
        Identity bob = PKI.user(c.key());
        SmimeEncryptor encryptor = new SmimeEncryptor(EncryptionOptions.defaults().withContentEncryption(c.content()));
        byte[] encrypted = Messages.bytes(encryptor.encrypt(Messages.text("alice@sealgate.test", "hello interop"),
                List.of(new RecipientSpec(bob.certificate(), c.keyEncryption()))));

        Peer.Result r = nss.decode(MimeCut.opaque(encrypted), null);

        if (nssDecrypts(c)) {
            assertThat(r.ok()).as(r.describe()).isTrue();
        } else {
            assertThat(r.ok()).as("NSS is known not to decrypt " + c + ", but it did").isFalse();
        }
    }

    @ParameterizedTest(name = "we verify cmsutil-signed: {0}")
    @MethodSource("nssSignCombos")
    void weVerifyNssSignature(Combo.Sign c) throws IOException {
        Identity alice = PKI.user(c.key());
        Path out = Files.createTempFile(dir, "nss", ".p7");
        byte[] entity = ENTITY.getBytes(StandardCharsets.US_ASCII);

        Peer.Result r = nss.sign(alice.email(), entity, c.digest().name(), c.format() == SignatureFormat.DETACHED, out);

        assertThat(r.ok()).as(r.describe()).isTrue();
        String headers = "From: " + alice.email() + "\r\nTo: bob@partner.example\r\nSubject: from nss\r\n";
        byte[] wire = c.format() == SignatureFormat.DETACHED
                ? MimeCut.wrapDetached(headers, entity, Files.readAllBytes(out), c.digest().micalg())
                : MimeCut.wrapOpaque(headers, "signed-data", Files.readAllBytes(out));
        VerificationResult result = new SmimeVerifier(PKI.trust()).verify(Messages.parse(wire));

        assertThat(result.status()).as(result.reason()).isEqualTo(VerificationStatus.VALID);
        assertThat(result.signingTime()).as("cmsutil -G adds a signing time").isPresent();
    }

    @ParameterizedTest(name = "we decrypt cmsutil-encrypted: {0}")
    @org.junit.jupiter.params.provider.EnumSource(KeyKind.class)
    void weDecryptNssMessage(KeyKind kind) throws IOException {
        Identity bob = PKI.user(kind);
        Path out = Files.createTempFile(dir, "nss", ".p7m");

        Peer.Result r = nss.encrypt(bob.email(), ENTITY.getBytes(StandardCharsets.US_ASCII), out);

        if (kind.ec()) {
            assertThat(r.ok()).as("NSS 3.87 is known not to encrypt to EC certificates, but it did for " + kind).isFalse();
            assertThat(r.stderr()).contains("SEC_ERROR_INVALID_ALGORITHM");
            return;
        }
        assertThat(r.ok()).as(r.describe()).isTrue();
        MimeMessage decrypted = new SmimeDecryptor(bob.resolver()).decrypt(Messages.parse(MimeCut.wrapOpaque(
                "From: alice@sealgate.test\r\nTo: " + bob.email() + "\r\nSubject: from nss\r\n", "enveloped-data",
                Files.readAllBytes(out))));
        assertThat(Messages.textOf(decrypted)).isEqualTo("hello from nss\r\n");
    }
}
