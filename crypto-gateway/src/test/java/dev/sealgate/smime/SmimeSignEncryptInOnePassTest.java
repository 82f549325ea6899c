package dev.sealgate.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealgate.smime.TestPki.Identity;
import dev.sealgate.smime.TestPki.KeyKind;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SmimeEncryptor#encryptSigned}: the outbound step's one pass must produce what signing and
 * then encrypting the signed message produces (ADR 0198), for odd input too.
 */
class SmimeSignEncryptInOnePassTest {

    private static final TestPki PKI = TestPki.shared();

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"RSA_3072, DETACHED", "RSA_3072, OPAQUE", "EC_P256, DETACHED", "EC_P384, OPAQUE"})
    void shouldOpenToAValidSignatureOverTheMessageAsTwoPassesDo(KeyKind kind, SignatureFormat format) throws Exception {
        Identity alice = PKI.user(kind);
        Identity bob = PKI.user(KeyKind.RSA_3072);
        SmimeSigner signer = new SmimeSigner(alice.key(), alice.chain(), SigningOptions.defaultsFor(alice.certificate()).withFormat(format));
        SmimeEncryptor encryptor = new SmimeEncryptor(EncryptionOptions.defaults());
        MimeMessage message = Messages.withAttachment(alice.email());

        MimeMessage onePass = onePass(encryptor, message, signer, bob);
        MimeMessage twoPasses = Messages.reparse(encryptor.encrypt(signer.sign(message), List.of(RecipientSpec.of(bob.certificate()))));

        UnwrapResult one = unwrap(bob, onePass);
        UnwrapResult two = unwrap(bob, twoPasses);
        assertThat(one.allSignaturesValid()).isTrue();
        assertThat(Messages.textOf(one.content())).isEqualTo("see attached\r\n").isEqualTo(Messages.textOf(two.content()));
        assertThat(SmimeInspector.detect(onePass)).isEqualTo(SmimeInspector.detect(twoPasses));
        assertThat(outerHeaders(onePass)).isEqualTo(outerHeaders(twoPasses)).contains("Subject: with attachment");
        MimeMessage signedOne = new SmimeDecryptor(bob.resolver()).decrypt(onePass);
        MimeMessage signedTwo = new SmimeDecryptor(bob.resolver()).decrypt(twoPasses);
        assertThat(withoutRandom(Messages.string(signedOne))).isEqualTo(withoutRandom(Messages.string(signedTwo)));
    }

    @Test
    void shouldCanonicaliseBareLineEndsOfTheSendersMessageBeforeSigning() {
        Identity alice = PKI.user(KeyKind.RSA_2048);
        byte[] wire = ("From: " + alice.email() + "\nSubject: bare\nMIME-Version: 1.0\nContent-Type: text/plain\n\n"
                + "line one\nline two\r\rline three\n\nend\r\n").getBytes(StandardCharsets.US_ASCII);
        SmimeSigner signer = new SmimeSigner(alice.key(), alice.chain(), SigningOptions.defaults());

        MimeMessage onePass = onePass(new SmimeEncryptor(EncryptionOptions.defaults()), Messages.parse(wire), signer, alice);

        UnwrapResult result = unwrap(alice, onePass);
        assertThat(result.allSignaturesValid()).isTrue();
        assertThat(Messages.textOf(result.content())).isEqualTo("line one\r\nline two\r\n\r\nline three\r\n\r\nend\r\n");
    }

    @Test
    void shouldRefuseAMissingSignerAndARecipientThatMayNotEncryptByName() {
        Identity alice = PKI.user(KeyKind.RSA_2048);
        SmimeEncryptor encryptor = new SmimeEncryptor(EncryptionOptions.defaults());
        SmimeSigner signer = new SmimeSigner(alice.key(), alice.chain(), SigningOptions.defaults());

        assertThatThrownBy(() -> encryptor.encryptSigned(Messages.text(alice.email(), "x"), null,
                List.of(RecipientSpec.of(alice.certificate())), OutputStream.nullOutputStream()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("signer");
        assertThatThrownBy(() -> encryptor.encryptSigned(Messages.text(alice.email(), "x"), signer, List.of(),
                OutputStream.nullOutputStream()))
                .isInstanceOf(SmimeCertificateException.class).hasMessageContaining("no recipient");
    }

    @Test
    void shouldCanonicaliseAnyInputTheSameWhicheverWayItIsCutIntoWrites() throws IOException {
        Random random = new Random(20261130);
        byte[] alphabet = {'\r', '\n', 'a', ' ', '\r', '\n'};
        for (int round = 0; round < 500; round++) {
            byte[] input = new byte[random.nextInt(200)];
            for (int i = 0; i < input.length; i++) {
                input[i] = alphabet[random.nextInt(alphabet.length)];
            }
            ByteArrayOutputStream byByte = new ByteArrayOutputStream();
            try (OutputStream canonical = new MimeSupport.CanonicalOutputStream(byByte)) {
                for (byte b : input) {
                    canonical.write(b);
                }
            }
            ByteArrayOutputStream inChunks = new ByteArrayOutputStream();
            try (OutputStream canonical = new MimeSupport.CanonicalOutputStream(inChunks)) {
                int at = 0;
                while (at < input.length) {
                    int n = Math.min(input.length - at, 1 + random.nextInt(40));
                    canonical.write(input, at, n);
                    at += n;
                }
            }
            byte[] reference = reference(input);
            assertThat(byByte.toByteArray()).as("round %d", round).isEqualTo(reference);
            assertThat(inChunks.toByteArray()).as("round %d", round).isEqualTo(reference);
        }
    }

    /** CRLF for every bare LF, and for every bare CR that has a byte after it; the rest as it is. */
    private static byte[] reference(byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < input.length; i++) {
            boolean afterCr = i > 0 && input[i - 1] == '\r';
            if (input[i] == '\n' && !afterCr) {
                out.write('\r');
            } else if (afterCr && input[i] != '\n') {
                out.write('\n');
            }
            out.write(input[i]);
        }
        return out.toByteArray();
    }

    private static MimeMessage onePass(SmimeEncryptor encryptor, MimeMessage message, SmimeSigner signer, Identity recipient) {
        MimeSupport.Buffer out = new MimeSupport.Buffer();
        encryptor.encryptSigned(message, signer, List.of(RecipientSpec.of(recipient.certificate())), out);
        return out.toMessage();
    }

    private static UnwrapResult unwrap(Identity reader, MimeMessage encrypted) {
        return new SmimeUnwrapper(new SmimeDecryptor(reader.resolver()), new SmimeVerifier(PKI.trust())).unwrap(Messages.reparse(encrypted));
    }

    private static String outerHeaders(MimeMessage m) {
        String all = Messages.string(m);
        return all.substring(0, all.indexOf("\r\n\r\n")).replaceAll("(?m)^Content-Type:.*$", "");
    }

    /** The boundary and the base64 of the signature or signed-data differ from run to run; the rest must not. */
    private static String withoutRandom(String signed) {
        Matcher boundary = Pattern.compile("boundary=\"([^\"]+)\"").matcher(signed);
        String result = boundary.find() ? signed.replace(boundary.group(1), "BOUNDARY") : signed;
        // a run of base64 lines is one "B64": signatures (ECDSA's DER in particular) differ in length per run
        return result.replaceAll("(?m)(^[A-Za-z0-9+/=]+\r?\n)+", "B64\n");
    }
}
