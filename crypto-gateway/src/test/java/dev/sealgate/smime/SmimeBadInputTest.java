package dev.sealgate.smime;

import dev.sealgate.smime.TestPki.Identity;
import dev.sealgate.smime.TestPki.KeyKind;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Broken input ends in a typed, one-line exception or a result that says what is wrong; never a crash. */
class SmimeBadInputTest {

    private static final TestPki PKI = TestPki.shared();
    private final Identity bob = PKI.user(KeyKind.RSA_2048);
    private final SmimeDecryptor decryptor = new SmimeDecryptor(bob.resolver());
    private final SmimeVerifier verifier = new SmimeVerifier(PKI.trust());

    @Test
    void shouldRejectTruncatedCms() {
        String wire = encrypted(ContentEncryption.AES256_CBC);
        String truncated = wire.substring(0, wire.indexOf("\r\n\r\n") + 4 + (wire.length() - wire.indexOf("\r\n\r\n")) / 2);

        assertOneLine(() -> decryptor.decrypt(Messages.parse(truncated)), SmimeFormatException.class, "truncated");
    }

    @Test
    void shouldRejectGarbageWhereCmsShouldBe() {
        String wire = headers("application/pkcs7-mime; smime-type=enveloped-data")
                + Base64.getMimeEncoder().encodeToString("this is not ASN.1 at all".getBytes(StandardCharsets.US_ASCII));

        assertOneLine(() -> decryptor.decrypt(Messages.parse(wire)), SmimeFormatException.class, "not CMS");
    }

    @Test
    void shouldRejectInvalidBase64() {
        String wire = headers("application/pkcs7-mime; smime-type=enveloped-data") + "!!!! not base64 ####\r\n";

        assertOneLine(() -> decryptor.decrypt(Messages.parse(wire)), SmimeFormatException.class, "");
    }

    @Test
    void shouldRejectDecryptingASignedMessage() {
        String signed = Messages.string(new SmimeSigner(bob.key(), bob.chain(), SigningOptions.defaults())
                .sign(Messages.text(bob.email(), "x")));

        assertOneLine(() -> decryptor.decrypt(Messages.parse(signed)), SmimeFormatException.class,
                "SIGNED_DETACHED, not encrypted");
    }

    @Test
    void shouldRejectVerifyingAnEncryptedMessage() {
        assertOneLine(() -> verifier.verify(Messages.parse(encrypted(ContentEncryption.AES256_CBC))),
                SmimeFormatException.class, "not signed");
    }

    @Test
    void shouldRejectAMislabelledMessage() {
        String signedOpaque = Messages.string(new SmimeSigner(bob.key(), bob.chain(),
                SigningOptions.defaults().withFormat(SignatureFormat.OPAQUE)).sign(Messages.text(bob.email(), "x")));
        String lying = signedOpaque.replace("smime-type=signed-data", "smime-type=enveloped-data");

        assertOneLine(() -> decryptor.decrypt(Messages.parse(lying)), SmimeFormatException.class,
                "labelled ENVELOPED but holds SIGNED_OPAQUE");
    }

    @Test
    void shouldRejectMultipartSignedWhoseBoundaryIsNotInTheBody() {
        String signed = Messages.string(new SmimeSigner(bob.key(), bob.chain(), SigningOptions.defaults())
                .sign(Messages.text(bob.email(), "x")));
        String lying = signed.replaceFirst("boundary=\"([^\"]+)\"", "boundary=\"no-such-boundary\"");

        assertOneLine(() -> verifier.verify(Messages.parse(lying)), SmimeFormatException.class, "");
    }

    @Test
    void shouldRejectMultipartSignedWithAThirdPart() {
        String signed = Messages.string(new SmimeSigner(bob.key(), bob.chain(), SigningOptions.defaults())
                .sign(Messages.text(bob.email(), "x")));
        String boundary = signed.replaceAll("(?s).*boundary=\"([^\"]+)\".*", "$1");
        String extra = signed.replace("--" + boundary + "--", "--" + boundary
                + "\r\nContent-Type: text/plain\r\n\r\nsmuggled\r\n--" + boundary + "--");

        assertOneLine(() -> verifier.verify(Messages.parse(extra)), SmimeFormatException.class, "3 parts instead of 2");
    }

    @Test
    void shouldRejectMultipartSignedWhoseSecondPartIsNoSignature() {
        String signed = Messages.string(new SmimeSigner(bob.key(), bob.chain(), SigningOptions.defaults())
                .sign(Messages.text(bob.email(), "x")));
        String lying = signed.replace("Content-Type: application/pkcs7-signature", "Content-Type: text/plain");

        assertOneLine(() -> verifier.verify(Messages.parse(lying)), SmimeFormatException.class,
                "not application/pkcs7-signature");
    }

    @Test
    void shouldRejectATruncatedSignaturePart() {
        String signed = Messages.string(new SmimeSigner(bob.key(), bob.chain(), SigningOptions.defaults())
                .sign(Messages.text(bob.email(), "x")));
        int sig = signed.indexOf("S/MIME Cryptographic Signature\r\n\r\n") + 34;
        int end = signed.lastIndexOf("\r\n--");
        String garbled = signed.substring(0, sig + (end - sig) / 2) + signed.substring(end);

        assertOneLine(() -> verifier.verify(Messages.parse(garbled)), SmimeFormatException.class, "");
    }

    @Test
    void shouldReportAFailedGcmTagAsCryptoFailure() {
        String wire = encrypted(ContentEncryption.AES256_GCM);
        int body = wire.indexOf("\r\n\r\n") + 4;
        byte[] der = Base64.getMimeDecoder().decode(wire.substring(body));
        der[der.length / 2] ^= 0x01;
        String tampered = wire.substring(0, body) + Base64.getMimeEncoder().encodeToString(der) + "\r\n";

        assertOneLine(() -> decryptor.decrypt(Messages.parse(tampered), OutputStream.nullOutputStream()),
                SmimeCryptoException.class, "integrity check");
    }

    @Test
    void shouldReportAWrongKeyAsCryptoFailure() {
        Identity other = PKI.user("other@sealgate.test", KeyKind.RSA_2048);
        String wire = Messages.string(new SmimeEncryptor(EncryptionOptions.defaults()).encrypt(
                Messages.text("alice@sealgate.test", "x"), List.of(new RecipientSpec(bob.certificate(), KeyEncryption.RSA_OAEP))));

        assertOneLine(() -> new SmimeDecryptor(ref -> Optional.of(other.key())).decrypt(Messages.parse(wire)),
                SmimeCryptoException.class, "does not belong to this recipient");
    }

    @Test
    void shouldReportAnEcKeyOfferedForAnRsaRecipientAsCryptoFailure() {
        Identity ec = PKI.user(KeyKind.EC_P256);
        String wire = encrypted(ContentEncryption.AES128_CBC);

        assertOneLine(() -> new SmimeDecryptor(ref -> Optional.of(ec.key())).decrypt(Messages.parse(wire)),
                SmimeException.class, "");
    }

    @Test
    void shouldRejectAMessageWithoutContentType() {
        assertThat(SmimeInspector.detect(Messages.parse("From: a@b.example\r\n\r\nhello\r\n"))).isEqualTo(SmimeType.PLAIN);
        assertOneLine(() -> verifier.verify(Messages.parse("From: a@b.example\r\n\r\nhello\r\n")),
                SmimeFormatException.class, "PLAIN, not signed");
    }

    private String encrypted(ContentEncryption c) {
        return Messages.string(new SmimeEncryptor(EncryptionOptions.defaults().withContentEncryption(c)).encrypt(
                Messages.text("alice@sealgate.test", "secret ".repeat(2000)), List.of(RecipientSpec.of(bob.certificate()))));
    }

    private static String headers(String contentType) {
        return "From: alice@sealgate.test\r\nMIME-Version: 1.0\r\nContent-Type: " + contentType
                + "\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    }

    private static void assertOneLine(ThrowingCallable call, Class<? extends SmimeException> type, String fragment) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(type);
        assertThat(t.getMessage()).doesNotContain("\n").doesNotContain("\r").contains(fragment).isNotBlank();
    }
}
