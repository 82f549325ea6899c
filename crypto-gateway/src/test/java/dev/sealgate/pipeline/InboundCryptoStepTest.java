package dev.sealgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealgate.certs.CertificateKind;
import dev.sealgate.certs.StoredCertificate;
import dev.sealgate.certs.TrustStatus;
import dev.sealgate.policy.CryptoPolicy;
import dev.sealgate.policy.Direction;
import dev.sealgate.policy.InboundRequirement;
import dev.sealgate.policy.UndecryptableAction;
import dev.sealgate.smime.EncryptionOptions;
import dev.sealgate.smime.RecipientSpec;
import dev.sealgate.smime.SigningOptions;
import dev.sealgate.smime.SmimeEncryptor;
import dev.sealgate.smime.SmimeInspector;
import dev.sealgate.smime.SmimeSigner;
import dev.sealgate.smime.SmimeType;
import dev.sealgate.smime.TestPki;
import dev.sealgate.storage.TestDatabase;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.RejectException;

class InboundCryptoStepTest {

    @TempDir
    Path dir;

    private TestDatabase db;
    private CryptoRig rig;
    private final TestPki.Identity paula = TestPki.shared().user("paula@partner.test", TestPki.KeyKind.RSA_2048);

    @BeforeEach
    void rig() throws Exception {
        db = TestDatabase.h2();
        rig = new CryptoRig(db.dataSource(), dir, false, Duration.ofHours(24));
    }

    @AfterEach
    void stopDatabase() {
        db.close();
    }

    private static MimeMessage parse(String raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static MimeMessage signed(TestPki.Identity signer, MimeMessage m) {
        return new SmimeSigner(signer.key(), signer.chain(), SigningOptions.defaults()).sign(m);
    }

    private static MimeMessage encrypted(TestPki.Identity recipient, MimeMessage m) {
        return new SmimeEncryptor(EncryptionOptions.defaults()).encrypt(m, List.of(RecipientSpec.of(recipient.certificate())));
    }

    private MimeMessage delivered(String id, String recipient) throws Exception {
        return rig.content(rig.row(id, recipient));
    }

    @Test
    void shouldDecryptEveryOpenedLayerStampTheVerdictAndTrackEachLayer() throws Exception {
        TestPki.Identity alice = rig.ownUser("alice@own.test");
        MimeMessage mail = parse(CryptoRig.mail("paula@partner.test", "alice@own.test", "nested", "three layers deep"));
        MimeMessage nested = signed(paula, encrypted(alice, signed(paula, mail)));

        String id = rig.receive(Direction.INBOUND, "paula@partner.test", List.of("alice@own.test"), text(nested));

        MimeMessage result = delivered(id, "alice@own.test");
        assertThat(result.getHeader("X-Sealgate-Signature", null)).isEqualTo("valid; signer=paula@partner.test");
        assertThat(result.getHeader("X-Sealgate-Decrypted", null)).isEqualTo("yes");
        assertThat(SmimeInspector.detect(result)).isEqualTo(SmimeType.PLAIN);
        assertThat(text(result)).contains("three layers deep");
        assertThat(rig.cryptoOperations(id))
                .contains("verify layer 1 signed-detached\",\"result\":\"valid; signer=paula@partner.test; covers=ciphertext")
                .contains("decrypt layer 2 enveloped\",\"result\":\"ok, AES256_CBC")
                .contains("verify layer 3 signed-detached\",\"result\":\"valid; signer=paula@partner.test; covers=content");
    }

    @Test
    void shouldHarvestTheSignerCertificateWithItsTrustAndCapabilities() throws Exception {
        MimeMessage mail = signed(paula, parse(CryptoRig.mail("paula@partner.test", "alice@own.test", "hello", "signed hello")));

        String id = rig.receive(Direction.INBOUND, "paula@partner.test", List.of("alice@own.test"), text(mail));

        assertThat(SmimeInspector.detect(delivered(id, "alice@own.test"))).isEqualTo(SmimeType.SIGNED_DETACHED);
        List<StoredCertificate> stored = rig.store.findByAddress("paula@partner.test");
        assertThat(stored).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(CertificateKind.PARTNER);
            assertThat(c.trustStatus()).isEqualTo(TrustStatus.TRUSTED);
            assertThat(c.capabilities().advertises(dev.sealgate.certs.SmimeCapabilities.AES256_CBC)).isTrue();
            assertThat(c.origin().source()).isEqualTo(dev.sealgate.certs.CertificateOrigin.Source.HARVESTED);
            assertThat(c.origin().detail()).as("the message it came with").contains("paula@partner.test", id);
        });
    }

    @Test
    void shouldStampAnUnknownSignerUntrustedAndHarvestItAsUntrusted() throws Exception {
        TestPki.Identity stranger = TestPki.foreign().user("stranger@partner.test", TestPki.KeyKind.RSA_2048);
        MimeMessage mail = signed(stranger, parse(CryptoRig.mail("stranger@partner.test", "alice@own.test", "hi", "who am I")));

        String id = rig.receive(Direction.INBOUND, "stranger@partner.test", List.of("alice@own.test"), text(mail));

        assertThat(delivered(id, "alice@own.test").getHeader("X-Sealgate-Signature", null))
                .isEqualTo("untrusted; signer=stranger@partner.test; layer=1");
        assertThat(rig.store.findByAddress("stranger@partner.test")).singleElement()
                .satisfies(c -> assertThat(c.trustStatus()).isEqualTo(TrustStatus.UNTRUSTED));
    }

    @Test
    void shouldStampATamperedMessageInvalidAndHarvestNothing() throws Exception {
        String signed = text(signed(paula, parse(CryptoRig.mail("paula@partner.test", "alice@own.test", "pay", "pay 100 EUR"))));

        String id = rig.receive(Direction.INBOUND, "paula@partner.test", List.of("alice@own.test"),
                signed.replace("pay 100 EUR", "pay 900 EUR"));

        assertThat(delivered(id, "alice@own.test").getHeader("X-Sealgate-Signature", null)).isEqualTo("invalid; signer=paula@partner.test; layer=1");
        assertThat(rig.store.findByAddress("paula@partner.test")).isEmpty();
        assertThat(rig.events.find(dev.sealgate.tracking.EventQuery.ofMessage(id, 10))).as("an event of this message").singleElement()
                .satisfies(e -> {
                    assertThat(e.message()).contains("paula@partner.test", "does not hold: invalid");
                    assertThat(e.trackingId()).isEqualTo(id);
                });
    }

    @Test
    void shouldRemoveForgedStampsAndNeverHonourInboundFlags() throws Exception {
        String id = rig.receive(Direction.INBOUND, "mallory@partner.test", List.of("alice@own.test"),
                CryptoRig.mail("mallory@partner.test", "alice@own.test", "trust me", "plain body",
                        "X-Sealgate-Signature: valid; signer=ceo@own.test", "X-Sealgate-Decrypted: yes",
                        "x-sealgate-flags: eyJhbGciOiJFUzI1NiJ9.e30.c2ln"));

        MimeMessage result = delivered(id, "alice@own.test");
        assertThat(result.getHeader("X-Sealgate-Signature")).isNull();
        assertThat(result.getHeader("X-Sealgate-Flags")).isNull();
        assertThat(result.getHeader("X-Sealgate-Decrypted", null)).isEqualTo("no");
        assertThat(text(result)).doesNotContain("ceo@own.test").contains("plain body");
    }

    @Test
    void shouldDeliverStillEncryptedWhenNoKeyIsHeldAndRejectWhenThePolicySaysSo() throws Exception {
        TestPki.Identity elsewhere = TestPki.shared().user("alice@own.test", TestPki.KeyKind.RSA_3072);
        String raw = text(encrypted(elsewhere, parse(CryptoRig.mail("paula@partner.test", "alice@own.test", "sealed", "for your client"))));

        String id = rig.receive(Direction.INBOUND, "paula@partner.test", List.of("alice@own.test"), raw);

        MimeMessage result = delivered(id, "alice@own.test");
        assertThat(SmimeInspector.detect(result)).isEqualTo(SmimeType.ENVELOPED);
        assertThat(result.getHeader("X-Sealgate-Decrypted", null)).isEqualTo("no");
        assertThat(rig.cryptoOperations(id)).contains("no key held for any recipient of this layer");
        assertThat(rig.events.find(dev.sealgate.tracking.EventQuery.ofMessage(id, 10))).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("Could not decrypt", "paula@partner.test"));

        rig.policy("own.test", new CryptoPolicy(null, null, null, null, null, null, null, null, null, UndecryptableAction.REJECT,
                null, null));
        assertThatThrownBy(() -> rig.receive(Direction.INBOUND, "paula@partner.test", List.of("alice@own.test"), raw))
                .isInstanceOfSatisfying(RejectException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(550);
                    assertThat(e.getMessage()).contains("5.7.1 no key to decrypt mail for alice@own.test");
                });
    }

    /**
     * A refusal names what is wrong: a message whose own Content-Type does not parse is malformed
     * MIME (5.6.0), not "S/MIME content" (5.7.5), which stays for a body that claims to be S/MIME
     * and is not CMS.
     */
    @Test
    void shouldRefuseAMalformedContentTypeAsMalformedMimeAndBrokenCmsAsBrokenSmime() throws Exception {
        String unterminated = "From: paula@partner.test\r\nTo: alice@own.test\r\nSubject: odd\r\n"
                + "Content-Type: multipart/mixed; boundary=\"open\r\n\r\n--open\r\nbody\r\n";
        assertThatThrownBy(() -> rig.receive(Direction.INBOUND, "paula@partner.test", List.of("alice@own.test"), unterminated))
                .isInstanceOfSatisfying(RejectException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(550);
                    assertThat(e.getMessage()).startsWith("5.6.0 the message's Content-Type header cannot be parsed")
                            .doesNotContain("S/MIME");
                });
        String notCms = "From: paula@partner.test\r\nTo: alice@own.test\r\nSubject: odd\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "bm90IGNtcw==\r\n";
        assertThatThrownBy(() -> rig.receive(Direction.INBOUND, "paula@partner.test", List.of("alice@own.test"), notCms))
                .isInstanceOfSatisfying(RejectException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(550);
                    assertThat(e.getMessage()).startsWith("5.7.5 the S/MIME content of the message cannot be processed");
                });
        assertThat(rig.events.find(new dev.sealgate.tracking.EventQuery(null, null, null, "crypto", 10)))
                .extracting(dev.sealgate.tracking.Event::message)
                .contains("Refused an inbound message from <paula@partner.test>: its Content-Type header cannot be parsed",
                        "Refused an inbound message from <paula@partner.test>: its S/MIME content cannot be processed");
    }

    @Test
    void shouldRejectUnsignedMailFromAPartnerWhoseMailMustBeSigned() throws Exception {
        rig.policy("partner.test", new CryptoPolicy(null, null, null, null, null, null, null, null, null, null, null,
                InboundRequirement.SIGNED));

        assertThatThrownBy(() -> rig.receive(Direction.INBOUND, "paula@partner.test", List.of("alice@own.test"),
                CryptoRig.mail("paula@partner.test", "alice@own.test", "unsigned", "no signature")))
                .isInstanceOfSatisfying(RejectException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(550);
                    assertThat(e.getMessage()).contains("5.7.1 mail from paula@partner.test must be signed");
                });
        assertThat(rig.events.find(new dev.sealgate.tracking.EventQuery(null, null, null, "policy", 10)))
                .as("the refusal is an event of the refused message").anySatisfy(e -> {
                    assertThat(e.message()).isEqualTo("Refused inbound mail from <paula@partner.test> to alice@own.test by policy");
                    assertThat(e.details()).contains("must be signed");
                    assertThat(e.trackingId()).isNotNull();
                });
        String id = rig.receive(Direction.INBOUND, "paula@partner.test", List.of("alice@own.test"),
                text(signed(paula, parse(CryptoRig.mail("paula@partner.test", "alice@own.test", "signed", "with signature")))));
        assertThat(rig.row(id, "alice@own.test").status()).isEqualTo("PENDING");
    }

    @Test
    void shouldNeitherStampNorHarvestWhenTheRecipientsPolicyTurnsVerificationOff() throws Exception {
        rig.policy("own.test", new CryptoPolicy(null, null, null, null, null, null, null, null, null, null, false, null));
        MimeMessage mail = signed(paula, parse(CryptoRig.mail("paula@partner.test", "alice@own.test", "hello", "unchecked")));

        String id = rig.receive(Direction.INBOUND, "paula@partner.test", List.of("alice@own.test"), text(mail));

        assertThat(delivered(id, "alice@own.test").getHeader("X-Sealgate-Signature")).isNull();
        assertThat(rig.store.findByAddress("paula@partner.test")).isEmpty();
    }

    @Test
    void shouldStampASignerRevokedByAStoredCrlRevokedAndHarvestNothing() throws Exception {
        TestPki.Identity revoked = TestPki.shared().user("revoked@partner.test", TestPki.KeyKind.RSA_2048);
        rig.store.importCrl(TestPki.shared().crl(revoked.certificate()));
        MimeMessage mail = signed(revoked, parse(CryptoRig.mail("revoked@partner.test", "alice@own.test", "old key", "stolen key")));

        String id = rig.receive(Direction.INBOUND, "revoked@partner.test", List.of("alice@own.test"), text(mail));

        assertThat(delivered(id, "alice@own.test").getHeader("X-Sealgate-Signature", null)).isEqualTo("revoked; signer=revoked@partner.test; layer=1");
        assertThat(rig.store.findByAddress("revoked@partner.test")).isEmpty();
    }

    @Test
    void shouldStampAnExpiredSignerCertificateExpired() throws Exception {
        TestPki.Identity expired = TestPki.shared().expired(TestPki.KeyKind.RSA_2048);
        MimeMessage mail = signed(expired, parse(CryptoRig.mail("expired@sealgate.test", "alice@own.test", "late", "expired cert")));

        String id = rig.receive(Direction.INBOUND, "expired@sealgate.test", List.of("alice@own.test"), text(mail));

        assertThat(delivered(id, "alice@own.test").getHeader("X-Sealgate-Signature", null)).startsWith("expired; signer=");
    }

    @Test
    void shouldRejectUnencryptedMailFromAPartnerWhoseMailMustBeEncrypted() throws Exception {
        rig.ownUser("alice@own.test");
        rig.policy("partner.test", new CryptoPolicy(null, null, null, null, null, null, null, null, null, null, null,
                InboundRequirement.ENCRYPTED));
        String signedOnly = text(signed(paula, parse(CryptoRig.mail("paula@partner.test", "alice@own.test", "open", "not sealed"))));

        assertThatThrownBy(() -> rig.receive(Direction.INBOUND, "paula@partner.test", List.of("alice@own.test"), signedOnly))
                .isInstanceOfSatisfying(RejectException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(550);
                    assertThat(e.getMessage()).contains("5.7.1 mail from paula@partner.test must be encrypted");
                });
    }
}
