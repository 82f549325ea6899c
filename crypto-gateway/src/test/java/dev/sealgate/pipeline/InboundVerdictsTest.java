package dev.sealgate.pipeline;

import static dev.sealgate.smime.interop.OpenSsl.entity;
import static dev.sealgate.smime.interop.OpenSsl.textEntity;
import static dev.sealgate.smime.interop.OpenSsl.withHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.policy.CryptoPolicy;
import dev.sealgate.policy.Direction;
import dev.sealgate.smime.TestPki;
import dev.sealgate.smime.interop.MimeCut;
import dev.sealgate.smime.interop.Nss;
import dev.sealgate.smime.interop.OpenSsl;
import dev.sealgate.smime.interop.Peer;
import dev.sealgate.storage.TestDatabase;
import dev.sealgate.tracking.EventQuery;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9: what the inbound stamp says about messages the real {@code openssl cms} (and NSS's
 * {@code cmsutil}, where it can make them) made, layer by layer (docs/adr/0090-inbound-verdicts.md), and that what is delivered is well-formed MIME with
 * nothing opened that the layer rules keep closed. Alice is the own user; Paula, Dave and Carol are
 * partners whose certificates chain to a trusted root.
 */
class InboundVerdictsTest {

    private static final TestPki.Identity PAULA = TestPki.shared().user("paula@partner.test", TestPki.KeyKind.RSA_2048);
    private static final TestPki.Identity DAVE = TestPki.shared().user("dave@partner.test", TestPki.KeyKind.RSA_2048);
    private static final TestPki.Identity CAROL = TestPki.shared().user("carol@partner.test", TestPki.KeyKind.RSA_2048);

    @TempDir
    Path dir;

    private TestDatabase db;
    private CryptoRig rig;
    private OpenSsl openssl;

    @BeforeEach
    void rig() throws Exception {
        db = TestDatabase.h2();
        rig = new CryptoRig(db.dataSource(), Files.createDirectories(dir.resolve("rig")), false, Duration.ofHours(24));
        openssl = new OpenSsl(Files.createDirectories(dir.resolve("openssl")));
        rig.ownUser("alice@own.test");
    }

    @AfterEach
    void stopDatabase() {
        db.close();
    }

    @Test
    void shouldNotCreditASignatureThatWrapsTheCiphertextForTheDecryptedText() throws Exception {
        byte[] encrypted = openssl.encrypt(alice(), textEntity("the offer is 100 EUR"));
        byte[] signed = openssl.sign(PAULA, entity(encrypted));

        String id = receive("paula@partner.test", signed, now());

        MimeMessage delivered = delivered(id);
        assertThat(delivered.getHeader("X-Sealgate-Signature", null)).isEqualTo("not-covering; signer=paula@partner.test; layer=1");
        assertThat(delivered.getHeader("X-Sealgate-Layer-1", null))
                .isEqualTo("signed; result=valid; covers=ciphertext; signer=paula@partner.test");
        assertThat(delivered.getHeader("X-Sealgate-Layer-2", null)).isEqualTo("encrypted; result=decrypted; recipient=alice@own.test");
        assertThat(delivered.getHeader("X-Sealgate-Layer-3")).isNull();
        assertThat(delivered.getHeader("X-Sealgate-Decrypted", null)).isEqualTo("yes");
        assertThat(delivered.isMimeType("text/plain")).isTrue();
        assertThat((String) delivered.getContent()).contains("the offer is 100 EUR");
        assertThat(delivered.getSubject()).isEqualTo("from openssl");
        assertThat(rig.cryptoOperations(id))
                .contains("verify layer 1 signed-detached\",\"result\":\"valid; signer=paula@partner.test; covers=ciphertext")
                .contains("decrypt layer 2 enveloped\",\"result\":\"ok, AES256_CBC, key of alice@own.test");
    }

    @Test
    void shouldStampATripleWrapValidWhenBothSignaturesHoldForTheSender() throws Exception {
        byte[] inner = openssl.sign(PAULA, textEntity("signed, sealed, signed"));
        byte[] encrypted = openssl.encrypt(alice(), entity(inner));
        byte[] outer = openssl.sign(PAULA, entity(encrypted));

        MimeMessage delivered = delivered(receive("paula@partner.test", outer, now()));

        assertThat(delivered.getHeader("X-Sealgate-Signature", null)).isEqualTo("valid; signer=paula@partner.test");
        assertThat(layers(delivered)).containsExactly(
                "signed; result=valid; covers=ciphertext; signer=paula@partner.test",
                "encrypted; result=decrypted; recipient=alice@own.test",
                "signed; result=valid; covers=content; signer=paula@partner.test");
        assertThat(delivered.isMimeType("text/plain")).isTrue();
        assertThat((String) delivered.getContent()).contains("signed, sealed, signed");
    }

    @Test
    void shouldNameTheLayerOfASecondSignerWhoIsNotTheSenderAndKeepBothSignatures() throws Exception {
        byte[] paulas = openssl.sign(PAULA, textEntity("Paula's words"));
        byte[] countersigned = openssl.sign(DAVE, entity(paulas));

        MimeMessage delivered = delivered(receive("paula@partner.test", countersigned, now()));

        assertThat(delivered.getHeader("X-Sealgate-Signature", null)).isEqualTo("address-mismatch; signer=dave@partner.test; layer=1");
        assertThat(layers(delivered)).containsExactly(
                "signed; result=address-mismatch; covers=content; signer=dave@partner.test",
                "signed; result=valid; covers=content; signer=paula@partner.test");
        assertThat(delivered.getHeader("X-Sealgate-Decrypted", null)).isEqualTo("no");
        assertThat(delivered.isMimeType("multipart/signed")).isTrue();
        BodyPart inner = ((MimeMultipart) delivered.getContent()).getBodyPart(0);
        assertThat(inner.isMimeType("multipart/signed")).isTrue();
        assertThat(((MimeMultipart) inner.getContent()).getBodyPart(0).getContent().toString()).contains("Paula's words");
    }

    @Test
    void shouldLeaveAnEncryptedPartInsideSomeoneElsesSignatureClosed() throws Exception {
        byte[] captured = openssl.encrypt(alice(), textEntity("Carol's secret for Alice"));
        String mixed = "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
                + "--outer\r\nContent-Type: text/plain\r\n\r\nplease reply and quote this\r\n"
                + "--outer\r\n" + new String(entity(captured), StandardCharsets.US_ASCII) + "\r\n--outer--\r\n";
        byte[] signed = openssl.sign(DAVE, mixed.getBytes(StandardCharsets.US_ASCII));

        String id = receive("dave@partner.test", signed, now());

        MimeMessage delivered = delivered(id);
        assertThat(text(delivered)).doesNotContain("Carol's secret");
        assertThat(delivered.getHeader("X-Sealgate-Signature", null)).isEqualTo("valid; signer=dave@partner.test");
        assertThat(delivered.getHeader("X-Sealgate-Decrypted", null)).isEqualTo("no; left-closed=1");
        assertThat(layers(delivered)).containsExactly("signed; result=valid; covers=content; signer=dave@partner.test");
        MimeMultipart parts = (MimeMultipart) ((MimeMultipart) delivered.getContent()).getBodyPart(0).getContent();
        assertThat(parts.getBodyPart(1).isMimeType("application/pkcs7-mime")).isTrue();
        assertThat(rig.cryptoOperations(id)).contains("1 encrypted MIME part(s) inside the message left closed");
    }

    @Test
    void shouldLeaveAnEncryptedLayerBehindASecondSignatureClosed() throws Exception {
        byte[] captured = openssl.encrypt(alice(), textEntity("Carol's secret for Alice"));
        byte[] wrapped = openssl.sign(DAVE, entity(openssl.sign(CAROL, entity(captured), "-nodetach")));

        String id = receive("dave@partner.test", wrapped, now());

        MimeMessage delivered = delivered(id);
        assertThat(text(delivered)).doesNotContain("Carol's secret");
        assertThat(layers(delivered)).containsExactly(
                "signed; result=valid; covers=content; signer=dave@partner.test",
                "signed; result=address-mismatch; covers=content; signer=carol@partner.test",
                "encrypted; result=not-opened");
        assertThat(delivered.getHeader("X-Sealgate-Signature", null)).isEqualTo("address-mismatch; signer=carol@partner.test; layer=2");
        assertThat(delivered.getHeader("X-Sealgate-Decrypted", null)).isEqualTo("no; left-closed=1");
        assertThat(delivered.isMimeType("multipart/signed")).isTrue();
        assertThat(rig.cryptoOperations(id)).contains("decrypt layer 3 enveloped\",\"result\":\"not opened");
    }

    @Test
    void shouldNotCountASha1SignatureUnlessThePartnersPolicyAllowsItForATransition() throws Exception {
        byte[] signed = openssl.sign(PAULA, textEntity("signed with SHA-1"), "-md", "sha1");

        MimeMessage refused = delivered(receive("paula@partner.test", signed, now()));

        assertThat(refused.getHeader("X-Sealgate-Signature", null)).isEqualTo("weak-algorithm; signer=paula@partner.test; layer=1");
        assertThat(rig.store.findByAddress("paula@partner.test")).isEmpty();

        rig.policy("partner.test", new CryptoPolicy(null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, true));
        String id = receive("paula@partner.test", signed, now());

        assertThat(delivered(id).getHeader("X-Sealgate-Signature", null)).isEqualTo("valid; signer=paula@partner.test");
        assertThat(rig.cryptoOperations(id)).contains("SHA-1 digest (allowWeakSignatures of partner.test)");
        assertThat(rig.events.find(new EventQuery(null, null, null, "crypto", 10)))
                .anySatisfy(e -> assertThat(e.message()).isEqualTo("Accepted a weak signature from partner.test under its "
                        + "policy's transition allowance (allowWeakSignatures)"));
    }

    @Test
    void shouldJudgeSignaturesMadeByNssLikeThoseMadeByOpenssl() throws Exception {
        Nss nss = new Nss(Files.createDirectories(dir.resolve("nss"))).trust(TestPki.shared().root(), "partner root").addKey(PAULA);
        byte[] entity = textEntity("signed by NSS");
        Path sha1 = dir.resolve("nss-sha1.p7m");
        Path sha256 = dir.resolve("nss-sha256.p7s");
        Peer.Result signedSha1 = nss.sign(PAULA.email(), entity, "SHA1", false, sha1);
        Peer.Result signedSha256 = nss.sign(PAULA.email(), entity, "SHA256", true, sha256);
        assertThat(signedSha1.ok()).as(signedSha1.describe()).isTrue();
        assertThat(signedSha256.ok()).as(signedSha256.describe()).isTrue();

        MimeMessage weak = delivered(receive("paula@partner.test", MimeCut.wrapOpaque("", "signed-data", Files.readAllBytes(sha1)), now()));
        MimeMessage strong = delivered(receive("paula@partner.test",
                MimeCut.wrapDetached("", entity, Files.readAllBytes(sha256), "sha-256"), now()));

        assertThat(weak.getHeader("X-Sealgate-Signature", null)).isEqualTo("weak-algorithm; signer=paula@partner.test; layer=1");
        assertThat(strong.getHeader("X-Sealgate-Signature", null)).isEqualTo("valid; signer=paula@partner.test");
        assertThat(strong.isMimeType("multipart/signed")).isTrue();
    }

    @Test
    void shouldNotCountASignatureByAnRsaKeyUnder2048Bits() throws Exception {
        TestPki.Identity weak = TestPki.shared().weakRsa("weak@partner.test");

        String id = receive("weak@partner.test", openssl.sign(weak, textEntity("small key")), now());

        assertThat(delivered(id).getHeader("X-Sealgate-Signature", null)).isEqualTo("weak-algorithm; signer=weak@partner.test; layer=1");
        assertThat(rig.cryptoOperations(id)).contains("RSA key of 1024 bits: not a valid signature today");
    }

    @Test
    void shouldNotCountASignatureMadeHoursAwayFromTheDateHeader() throws Exception {
        byte[] signed = openssl.sign(PAULA, textEntity("backdated"));

        MimeMessage backdated = delivered(receive("paula@partner.test", signed, ZonedDateTime.now(ZoneOffset.UTC).minusHours(3)));
        MimeMessage punctual = delivered(receive("paula@partner.test", signed, ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(20)));

        assertThat(backdated.getHeader("X-Sealgate-Signature", null))
                .isEqualTo("signing-time-mismatch; signer=paula@partner.test; layer=1");
        assertThat(punctual.getHeader("X-Sealgate-Signature", null)).isEqualTo("valid; signer=paula@partner.test");
    }

    @Test
    void shouldGiveDecryptedContentWithoutAHeaderBlockAContentTypeAndKeepTheMessageWellFormed() throws Exception {
        byte[] encrypted = openssl.encrypt(alice(), "Status: shipped\r\nno MIME header here\r\n".getBytes(StandardCharsets.US_ASCII));

        MimeMessage delivered = delivered(receive("paula@partner.test", encrypted, now()));

        assertThat(delivered.getHeader("X-Sealgate-Decrypted", null)).isEqualTo("yes");
        assertThat(delivered.getHeader("Status")).isNull();
        assertThat(delivered.getSubject()).isEqualTo("from openssl");
        assertThat(delivered.isMimeType("text/plain")).isTrue();
        assertThat((String) delivered.getContent()).isEqualTo("Status: shipped\r\nno MIME header here\r\n");
        assertThat(delivered.getHeader("X-Sealgate-Signature")).isNull();
        assertThat(layers(delivered)).containsExactly("encrypted; result=decrypted; recipient=alice@own.test");
    }

    @Test
    void shouldRemoveForgedLayerStampsFromPlainMail() throws Exception {
        String id = rig.receive(Direction.INBOUND, "mallory@partner.test", List.of("alice@own.test"),
                CryptoRig.mail("mallory@partner.test", "alice@own.test", "trust me", "plain body",
                        "X-Sealgate-Layer-1: signed; result=valid; covers=content; signer=ceo@own.test",
                        "x-sealgate-layer-2: encrypted; result=decrypted"));

        MimeMessage delivered = delivered(id);
        assertThat(layers(delivered)).isEmpty();
        assertThat(text(delivered)).doesNotContain("ceo@own.test").contains("plain body");
    }

    private TestPki.Identity alice() {
        return TestPki.shared().user("alice@own.test", TestPki.KeyKind.RSA_2048);
    }

    private static ZonedDateTime now() {
        return ZonedDateTime.now(ZoneOffset.UTC);
    }

    private String receive(String from, byte[] message, ZonedDateTime date) throws Exception {
        byte[] mail = withHeaders(message, "From: " + from, "To: alice@own.test", "Subject: from openssl",
                "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(date), "Message-ID: <" + System.nanoTime() + "@openssl.test>");
        return rig.receive(Direction.INBOUND, from, List.of("alice@own.test"), new String(mail, StandardCharsets.ISO_8859_1));
    }

    private MimeMessage delivered(String id) throws Exception {
        return rig.content(rig.row(id, "alice@own.test"));
    }

    private static List<String> layers(MimeMessage m) throws Exception {
        List<String> values = new java.util.ArrayList<>();
        for (int n = 1; m.getHeader("X-Sealgate-Layer-" + n) != null; n++) {
            values.add(m.getHeader("X-Sealgate-Layer-" + n, null));
        }
        return Collections.unmodifiableList(values);
    }

    private static String text(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
