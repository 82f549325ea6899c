package dev.sealgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.flags.FlagsTokenIssuer;
import dev.sealgate.flags.MessageFlags;
import dev.sealgate.policy.CryptoPolicy;
import dev.sealgate.policy.Direction;
import dev.sealgate.policy.EncryptionMode;
import dev.sealgate.policy.SignatureFormat;
import dev.sealgate.policy.SignatureScheme;
import dev.sealgate.policy.SigningMode;
import dev.sealgate.smime.SignatureAlgorithm;
import dev.sealgate.smime.SmimeDecryptor;
import dev.sealgate.smime.SmimeInspector;
import dev.sealgate.smime.SmimeType;
import dev.sealgate.smime.SmimeVerifier;
import dev.sealgate.smime.TestPki;
import dev.sealgate.storage.TestDatabase;
import dev.sealgate.tracking.EventQuery;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboundCryptoStepTest {

    private TestDatabase db;

    @TempDir
    Path dir;

    private CryptoRig rig;
    private TestPki.Identity bob;

    /** A database per test: the store's master key is per rig, and own keys sealed under another would not open. */
    @BeforeEach
    void rig() throws Exception {
        db = TestDatabase.h2();
        rig = new CryptoRig(db.dataSource(), dir, false, Duration.ofHours(24));
        bob = rig.partner("bob@partner.test");
    }

    @AfterEach
    void stopDatabase() {
        db.close();
    }

    private static CryptoPolicy encryption(EncryptionMode mode) {
        return new CryptoPolicy(null, null, mode, null, null, null, null, null, null, null, null, null);
    }

    private static CryptoPolicy signing(SigningMode mode) {
        return new CryptoPolicy(mode, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static String decrypt(MimeMessage encrypted, TestPki.Identity recipient) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SmimeDecryptor(recipient.resolver()).decrypt(encrypted, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldSpoolOnlyTheSignedAndEncryptedCopyWhenEveryRecipientGetsIt() throws Exception {
        rig.ownUser("carol@own.test");
        rig.partner("dave@partner.test");
        rig.policy("own.test", signing(dev.sealgate.policy.SigningMode.ALWAYS));
        rig.policy("partner.test", encryption(EncryptionMode.MANDATORY));

        String id = rig.receive(Direction.OUTBOUND, "carol@own.test", List.of("dave@partner.test"),
                CryptoRig.mail("carol@own.test", "dave@partner.test", "one pass", "signed and encrypted at once"));

        List<String> spooled = rig.spool.store().list(dev.sealgate.queue.Spool.PREFIX).stream()
                .map(dev.sealgate.blob.BlobStore.Listed::key)
                .filter(key -> key.contains(id + ".") && !key.endsWith(id + ".eml")).toList();
        assertThat(spooled).as("no signed copy in between (ADR 0198)").singleElement()
                .satisfies(key -> assertThat(key).endsWith(rig.row(id, "dave@partner.test").contentFile().split(";")[0]));
        MimeMessage sent = rig.content(rig.row(id, "dave@partner.test"));
        assertThat(SmimeInspector.detect(sent)).isEqualTo(SmimeType.ENVELOPED);
        assertThat(decrypt(sent, TestPki.shared().user("dave@partner.test", TestPki.KeyKind.RSA_2048)))
                .contains("multipart/signed").contains("signed and encrypted at once");
        assertThat(rig.cryptoOperations(id)).contains("\"sign\",\"result\":\"ok, certificate")
                .contains("encrypt for dave@partner.test\",\"result\":\"ok");
    }

    @Test
    void shouldSignAFreshSenderUnderTheDefaultPolicyWithACertificateEnrolledOnTheFly() throws Exception {
        String id = rig.receive(Direction.OUTBOUND, "alice@own.test", List.of("bob@partner.test"),
                CryptoRig.mail("alice@own.test", "bob@partner.test", "first mail", "hello from a fresh install"));

        MimeMessage sent = rig.content(rig.row(id, "bob@partner.test"));
        assertThat(SmimeInspector.detect(sent)).isEqualTo(SmimeType.ENVELOPED);
        assertThat(decrypt(sent, bob)).contains("multipart/signed").contains("hello from a fresh install");
        assertThat(rig.cryptoOperations(id)).contains("enroll certificate for alice@own.test\",\"result\":\"ISSUED")
                .contains("\"sign\",\"result\":\"ok, certificate");
        assertThat(rig.store.signingKey("alice@own.test")).isPresent();
    }

    @Test
    void shouldSendASenderItCannotEnrollUnsignedUnderTheDefaultPolicyAndSaySo() throws Exception {
        String id = rig.receive(Direction.OUTBOUND, "news@elsewhere.test", List.of("carol@other.test"),
                CryptoRig.mail("news@elsewhere.test", "carol@other.test", "relayed", "from a sender of no own domain"));

        assertThat(rig.row(id, "carol@other.test").status()).isEqualTo("PENDING");
        assertThat(SmimeInspector.detect(rig.content(rig.row(id, "carol@other.test")))).isEqualTo(SmimeType.PLAIN);
        assertThat(rig.cryptoOperations(id)).contains("not signed: no signing certificate for news@elsewhere.test");
    }

    @Test
    void shouldHonourANoSignRequestUnderTheDefaultPolicy() throws Exception {
        rig.ownUser("alice@own.test");

        String id = rig.receive(Direction.OUTBOUND, "alice@own.test", List.of("carol@other.test"),
                CryptoRig.mail("alice@own.test", "carol@other.test", "[nosign] quick note", "unsigned on request"));

        assertThat(SmimeInspector.detect(rig.content(rig.row(id, "carol@other.test")))).isEqualTo(SmimeType.PLAIN);
    }

    @Test
    void shouldSignOpaqueWithRsassaPssWhereThePolicyOfTheScopeSaysSo() throws Exception {
        TestPki.Identity alice = rig.ownUser("alice@own.test");
        rig.policy("alice@own.test", new CryptoPolicy(null, null, null, null, null, null, null, null, null, null, null, null,
                SignatureFormat.OPAQUE, SignatureScheme.RSASSA_PSS, null));
        rig.ownUser("carol@own.test");

        String opaque = rig.receive(Direction.OUTBOUND, "alice@own.test", List.of("carol@other.test"),
                CryptoRig.mail("alice@own.test", "carol@other.test", "opaque", "signed-data with PSS"));
        String detached = rig.receive(Direction.OUTBOUND, "carol@own.test", List.of("carol@other.test"),
                CryptoRig.mail("carol@own.test", "carol@other.test", "detached", "multipart/signed"));

        MimeMessage signed = rig.content(rig.row(opaque, "carol@other.test"));
        assertThat(SmimeInspector.detect(signed)).isEqualTo(SmimeType.SIGNED_OPAQUE);
        assertThat(SignatureAlgorithm.of(signed, alice.certificate()).orElseThrow().signature()).containsIgnoringCase("PSS");
        assertThat(new SmimeVerifier(StoreKeys.trust(rig.store)).verify(signed).valid()).isTrue();
        assertThat(rig.cryptoOperations(opaque)).contains("opaque, RSA_PSS");
        assertThat(SmimeInspector.detect(rig.content(rig.row(detached, "carol@other.test")))).isEqualTo(SmimeType.SIGNED_DETACHED);
    }

    @Test
    void shouldSplitEncryptedAndPlainRecipientsIntoSeparateSignedDeliveries() throws Exception {
        rig.ownUser("alice@own.test");
        rig.policy("partner.test", encryption(EncryptionMode.MANDATORY));

        String id = rig.receive(Direction.OUTBOUND, "alice@own.test", List.of("bob@partner.test", "carol@other.test"),
                CryptoRig.mail("alice@own.test", "bob@partner.test, carol@other.test", "figures", "the figures"));

        CryptoRig.Row toBob = rig.row(id, "bob@partner.test");
        CryptoRig.Row toCarol = rig.row(id, "carol@other.test");
        assertThat(toBob.status()).isEqualTo("PENDING");
        assertThat(toCarol.status()).isEqualTo("PENDING");
        assertThat(toBob.contentFile()).isNotEqualTo(toCarol.contentFile());
        MimeMessage encrypted = rig.content(toBob);
        assertThat(SmimeInspector.detect(encrypted)).isEqualTo(SmimeType.ENVELOPED);
        assertThat(decrypt(encrypted, bob)).contains("multipart/signed").contains("the figures");
        MimeMessage plain = rig.content(toCarol);
        assertThat(SmimeInspector.detect(plain)).isEqualTo(SmimeType.SIGNED_DETACHED);
        assertThat(rig.cryptoOperations(id))
                .contains("encrypt for bob@partner.test\",\"result\":\"ok, AES_256_CBC + RSA_PKCS1_V1_5")
                .contains("plain carol@other.test");
    }

    @Test
    void shouldRejectAMustEncryptRecipientWithoutCertificateAndTellTheSenderWhichOne() throws Exception {
        rig.policy("partner.test", encryption(EncryptionMode.MANDATORY));

        String id = rig.receive(Direction.OUTBOUND, "alice@own.test", List.of("dave@partner.test", "carol@other.test"),
                CryptoRig.mail("alice@own.test", "dave@partner.test", "contract", "the contract"));

        CryptoRig.Row toDave = rig.row(id, "dave@partner.test");
        assertThat(toDave.status()).isEqualTo("FAILED");
        assertThat(toDave.detail()).startsWith("550 5.7.1 no certificate for dave@partner.test: encryption is mandatory");
        assertThat(rig.row(id, "carol@other.test").status()).isEqualTo("PENDING");
        assertThat(rig.noticesTo("alice@own.test")).singleElement().satisfies(notice -> assertThat(notice)
                .contains("Final-Recipient: rfc822; dave@partner.test").contains("Status: 5.7.1")
                .contains("no certificate for dave@partner.test").doesNotContain("Final-Recipient: rfc822; carol@other.test"));
    }

    @Test
    void shouldEncryptOnASubjectFlagAndTakeTheFlagOutOfTheSubject() throws Exception {
        rig.policy("global", encryption(EncryptionMode.WHEN_REQUESTED));

        String id = rig.receive(Direction.OUTBOUND, "alice@own.test", List.of("bob@partner.test"),
                CryptoRig.mail("alice@own.test", "bob@partner.test", "[encrypt] quarterly figures", "confidential figures"));

        MimeMessage sent = rig.content(rig.row(id, "bob@partner.test"));
        assertThat(sent.getSubject()).isEqualTo("quarterly figures");
        assertThat(SmimeInspector.detect(sent)).isEqualTo(SmimeType.ENVELOPED);
        assertThat(decrypt(sent, bob)).contains("confidential figures");
        assertThat(rig.cryptoOperations(id)).contains("[encrypt] removed from the subject");
    }

    @Test
    void shouldNotLetAPlainSubjectFlagWeakenMandatoryEncryption() throws Exception {
        rig.policy("partner.test", encryption(EncryptionMode.MANDATORY));

        String id = rig.receive(Direction.OUTBOUND, "alice@own.test", List.of("bob@partner.test"),
                CryptoRig.mail("alice@own.test", "bob@partner.test", "hello [plain]", "still secret"));

        MimeMessage sent = rig.content(rig.row(id, "bob@partner.test"));
        assertThat(sent.getSubject()).isEqualTo("hello");
        assertThat(SmimeInspector.detect(sent)).isEqualTo(SmimeType.ENVELOPED);
        assertThat(rig.cryptoOperations(id)).contains("a plain request was overruled for bob@partner.test");
    }

    @Test
    void shouldLeaveOutTheSignatureOnANosignFlagWhenThePolicySignsOnlyWhenAKeyExists() throws Exception {
        rig.ownUser("alice@own.test");
        rig.policy("partner.test", encryption(EncryptionMode.NEVER));

        String signedId = rig.receive(Direction.OUTBOUND, "alice@own.test", List.of("bob@partner.test"),
                CryptoRig.mail("alice@own.test", "bob@partner.test", "signed", "signed body"));
        String unsignedId = rig.receive(Direction.OUTBOUND, "alice@own.test", List.of("bob@partner.test"),
                CryptoRig.mail("alice@own.test", "bob@partner.test", "[nosign] unsigned", "unsigned body"));

        assertThat(SmimeInspector.detect(rig.content(rig.row(signedId, "bob@partner.test")))).isEqualTo(SmimeType.SIGNED_DETACHED);
        MimeMessage unsigned = rig.content(rig.row(unsignedId, "bob@partner.test"));
        assertThat(SmimeInspector.detect(unsigned)).isEqualTo(SmimeType.PLAIN);
        assertThat(unsigned.getSubject()).isEqualTo("unsigned");
    }

    @Test
    void shouldEncryptOnAValidFlagsHeaderAndIgnoreAForgedOneAndStripBoth() throws Exception {
        rig.policy("global", encryption(EncryptionMode.WHEN_REQUESTED));
        FlagsTokenIssuer issuer = new FlagsTokenIssuer(rig.flagsKeys, rig.clock);
        String valid = issuer.issue("alice@own.test", new MessageFlags(true, false, false), null, Duration.ofHours(1)).token();
        String forged = issuer.issue("mallory@own.test", new MessageFlags(true, false, false), null, Duration.ofHours(1)).token();

        String validId = rig.receive(Direction.OUTBOUND, "alice@own.test", List.of("bob@partner.test"),
                CryptoRig.mail("alice@own.test", "bob@partner.test", "with flags", "flagged body", "X-Sealgate-Flags: " + valid.substring(0, 30) + "\r\n " + valid.substring(30)));
        String forgedId = rig.receive(Direction.OUTBOUND, "alice@own.test", List.of("bob@partner.test"),
                CryptoRig.mail("alice@own.test", "bob@partner.test", "forged flags", "forged body", "X-Sealgate-Flags: " + forged));

        MimeMessage encrypted = rig.content(rig.row(validId, "bob@partner.test"));
        assertThat(SmimeInspector.detect(encrypted)).isEqualTo(SmimeType.ENVELOPED);
        assertThat(encrypted.getHeader("X-Sealgate-Flags")).isNull();
        assertThat(rig.cryptoOperations(validId)).contains("encrypt=true, sign=false, large-files=false (header)");
        MimeMessage plain = rig.content(rig.row(forgedId, "bob@partner.test"));
        // signed by the default policy (AUTO), but not encrypted: the forged request counts for nothing
        assertThat(SmimeInspector.detect(plain)).isEqualTo(SmimeType.SIGNED_DETACHED);
        assertThat(plain.getHeader("X-Sealgate-Flags")).isNull();
        assertThat(rig.cryptoOperations(forgedId)).contains("none: MISMATCHED");
        assertThat(rig.events.find(new EventQuery(null, null, null, "addin-flags", 10)))
                .anySatisfy(e -> assertThat(e.message()).contains("alice@own.test").contains("MISMATCHED"));
    }

    @Test
    void shouldHoldWhileTheSendersCertificateIsPendingAndSendItSignedWhenItArrives() throws Exception {
        rig.policy("own.test", signing(SigningMode.ALWAYS));
        rig.policy("global", encryption(EncryptionMode.WHEN_REQUESTED));
        rig.provider.immediate = false;

        String id = rig.receive(Direction.OUTBOUND, "erin@own.test", List.of("bob@partner.test"),
                CryptoRig.mail("erin@own.test", "bob@partner.test", "[encrypt] waits", "waiting body"));

        CryptoRig.Row held = rig.row(id, "bob@partner.test");
        assertThat(held.status()).isEqualTo("HELD");
        assertThat(held.detail()).startsWith("waiting for the certificate of erin@own.test (enrollment request ");

        rig.provider.approved = true;
        rig.enrollment.pollPending();

        CryptoRig.Row released = rig.row(id, "bob@partner.test");
        assertThat(released.status()).isEqualTo("PENDING");
        assertThat(released.detail()).isEqualTo("released: the certificate of erin@own.test arrived");
        MimeMessage sent = rig.content(released);
        assertThat(sent.getHeader("X-Sealgate-Request")).isNull();
        assertThat(sent.getSubject()).isEqualTo("waits");
        assertThat(SmimeInspector.detect(sent)).isEqualTo(SmimeType.ENVELOPED);
        assertThat(decrypt(sent, bob)).contains("multipart/signed").contains("waiting body");
        assertThat(rig.cryptoOperations(id)).contains("\"hold\"").contains("\"sign\",\"result\":\"ok");
    }

    @Test
    void shouldFailHeldMailWithANoticeWhenTheCertificateDoesNotArriveInTime() throws Exception {
        CryptoRig impatient = new CryptoRig(db.dataSource(), dir.resolve("impatient"), false, Duration.ZERO);
        impatient.policy("own.test", signing(SigningMode.ALWAYS));
        impatient.provider.immediate = false;

        String id = impatient.receive(Direction.OUTBOUND, "frank@own.test", List.of("bob@partner.test"),
                CryptoRig.mail("frank@own.test", "bob@partner.test", "too late", "late body"));
        assertThat(impatient.row(id, "bob@partner.test").status()).isEqualTo("HELD");

        assertThat(impatient.holds.expire()).isEqualTo(1);

        CryptoRig.Row failed = impatient.row(id, "bob@partner.test");
        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.detail()).contains("no signing certificate for frank@own.test").contains("sealgate.enrollment.hold-timeout");
        assertThat(impatient.noticesTo("frank@own.test")).singleElement()
                .satisfies(n -> assertThat(n).contains("Final-Recipient: rfc822; bob@partner.test"));
    }

    @Test
    void shouldUseGcmAndOaepOnlyForARecipientThatAdvertisedThem() throws Exception {
        TestPki.Identity grace = TestPki.shared().user("grace@partner.test", TestPki.KeyKind.RSA_2048);
        rig.store.harvest(grace.certificate(), grace.chain(), dev.sealgate.certs.TrustStatus.TRUSTED,
                dev.sealgate.certs.SmimeCapabilities.of(dev.sealgate.certs.SmimeCapabilities.AES256_GCM,
                        dev.sealgate.certs.SmimeCapabilities.RSAES_OAEP, dev.sealgate.certs.SmimeCapabilities.AES256_CBC).encode());
        rig.policy("partner.test", encryption(EncryptionMode.MANDATORY));

        String id = rig.receive(Direction.OUTBOUND, "alice@own.test", List.of("grace@partner.test", "bob@partner.test"),
                CryptoRig.mail("alice@own.test", "grace@partner.test, bob@partner.test", "algorithms", "strong where advertised"));

        MimeMessage toGrace = rig.content(rig.row(id, "grace@partner.test"));
        MimeMessage toBob = rig.content(rig.row(id, "bob@partner.test"));
        assertThat(SmimeInspector.detect(toGrace)).isEqualTo(SmimeType.AUTH_ENVELOPED);
        assertThat(decrypt(toGrace, grace)).contains("strong where advertised");
        assertThat(SmimeInspector.detect(toBob)).isEqualTo(SmimeType.ENVELOPED);
        assertThat(rig.cryptoOperations(id)).contains("encrypt for grace@partner.test\",\"result\":\"ok, AES_256_GCM + RSAES_OAEP")
                .contains("encrypt for bob@partner.test\",\"result\":\"ok, AES_256_CBC + RSA_PKCS1_V1_5");
    }

    @Test
    void shouldEncryptToTheSenderAsWellWhenConfigured() throws Exception {
        db.close();
        db = TestDatabase.h2();
        CryptoRig toSelf = new CryptoRig(db.dataSource(), dir.resolve("self"), true, Duration.ofHours(24));
        TestPki.Identity alice = toSelf.ownUser("alice@own.test");
        toSelf.partner("bob@partner.test");

        String id = toSelf.receive(Direction.OUTBOUND, "alice@own.test", List.of("bob@partner.test"),
                CryptoRig.mail("alice@own.test", "bob@partner.test", "copy", "readable by both"));

        MimeMessage sent = toSelf.content(toSelf.row(id, "bob@partner.test"));
        assertThat(decrypt(sent, bob)).contains("readable by both");
        assertThat(decrypt(sent, alice)).contains("readable by both");
        assertThat(toSelf.cryptoOperations(id)).contains("encrypted to self");
    }

    @Test
    void shouldNotEncryptAMeetingRequestOpportunistically() throws Exception {
        String raw = "From: alice@own.test\r\nTo: bob@partner.test\r\nSubject: meeting\r\nMessage-ID: <cal@test>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/calendar; method=REQUEST; charset=utf-8\r\n\r\n"
                + "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n";

        String id = rig.receive(Direction.OUTBOUND, "alice@own.test", List.of("bob@partner.test"), raw);

        // signed by the default policy (AUTO), which Outlook reads; only encryption would break the invitation
        assertThat(SmimeInspector.detect(rig.content(rig.row(id, "bob@partner.test")))).isEqualTo(SmimeType.SIGNED_DETACHED);
        assertThat(rig.cryptoOperations(id)).contains("meeting request: not encrypted opportunistically");
    }

    @Test
    void shouldFallBackToStoredFlagsWhenTheHeaderExpiredAndRecordAnEvent() throws Exception {
        rig.policy("global", encryption(EncryptionMode.WHEN_REQUESTED));
        String expired = new FlagsTokenIssuer(rig.flagsKeys, java.time.Clock.offset(rig.clock, Duration.ofHours(-3)))
                .issue("alice@own.test", new MessageFlags(false, false, false), null, Duration.ofHours(1)).token();
        new dev.sealgate.flags.MessageFlagsStore(rig.dataSource, rig.clock).save("<stored@own.test>", "alice@own.test",
                new MessageFlags(true, false, false), rig.clock.instant().plusSeconds(600));

        String id = rig.receive(Direction.OUTBOUND, "alice@own.test", List.of("bob@partner.test"),
                CryptoRig.mail("alice@own.test", "bob@partner.test", "stored", "stored flags body", "Message-ID: <stored@own.test>",
                        "X-Sealgate-Flags: " + expired));

        MimeMessage sent = rig.content(rig.row(id, "bob@partner.test"));
        assertThat(SmimeInspector.detect(sent)).isEqualTo(SmimeType.ENVELOPED);
        assertThat(sent.getHeader("X-Sealgate-Flags")).isNull();
        assertThat(rig.cryptoOperations(id)).contains("(stored)");
        assertThat(rig.events.find(new EventQuery(null, null, null, "addin-flags", 10)))
                .anySatisfy(e -> assertThat(e.message()).contains("EXPIRED"));
    }

    @Test
    void shouldReplaceTheClientSignatureWithTheGatewaysWhenThePolicyStripsIt() throws Exception {
        TestPki.Identity alice = rig.ownUser("alice@own.test");
        TestPki.Identity client = TestPki.foreign().user("alice@own.test", TestPki.KeyKind.RSA_2048);
        rig.policy("own.test", new CryptoPolicy(null, true, EncryptionMode.NEVER, null, null, null, null, null, null, null, null, null));
        MimeMessage byClient = new dev.sealgate.smime.SmimeSigner(client.key(), client.chain(), dev.sealgate.smime.SigningOptions.defaults())
                .sign(new MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()), new java.io.ByteArrayInputStream(
                        CryptoRig.mail("alice@own.test", "bob@partner.test", "resigned", "signed twice?").getBytes(StandardCharsets.UTF_8))));
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        byClient.writeTo(raw);

        String id = rig.receive(Direction.OUTBOUND, "alice@own.test", List.of("bob@partner.test"), raw.toString(StandardCharsets.UTF_8));

        MimeMessage sent = rig.content(rig.row(id, "bob@partner.test"));
        dev.sealgate.smime.VerificationResult outer = new dev.sealgate.smime.SmimeVerifier(TestPki.shared().trust())
                .verify(sent, new ByteArrayOutputStream());
        assertThat(outer.signerCertificate()).contains(alice.certificate());
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        new dev.sealgate.smime.SmimeVerifier(TestPki.shared().trust()).verify(sent, inner);
        assertThat(inner.toString(StandardCharsets.UTF_8)).doesNotContain("multipart/signed").contains("signed twice?");
        assertThat(rig.cryptoOperations(id)).contains("strip client signature");
    }

    @Test
    void shouldHoldARecipientWithoutCertificateAsReceivedAndSendItEncryptedOnceOneArrives() throws Exception {
        rig.ownUser("alice@own.test");
        rig.policy("global", new CryptoPolicy(null, null, null, dev.sealgate.policy.MissingCertificateAction.HOLD, null, null, null,
                null, null, null, null, null));
        rig.policy("partner.test", encryption(EncryptionMode.MANDATORY));

        String id = rig.receive(Direction.OUTBOUND, "alice@own.test", List.of("hank@partner.test", "bob@partner.test"),
                CryptoRig.mail("alice@own.test", "hank@partner.test", "[sign] for hank", "only for hank's eyes"));

        assertThat(SmimeInspector.detect(rig.content(rig.row(id, "bob@partner.test")))).isEqualTo(SmimeType.ENVELOPED);
        CryptoRig.Row held = rig.row(id, "hank@partner.test");
        assertThat(held.status()).isEqualTo("HELD");
        assertThat(held.detail()).startsWith("waiting for a recipient certificate: no certificate for hank@partner.test");
        assertThat(rig.content(held).getSubject()).isEqualTo("[sign] for hank");
        assertThat(rig.holds.release(id)).isZero();
        assertThat(rig.row(id, "hank@partner.test").status()).isEqualTo("HELD");

        TestPki.Identity hank = rig.partner("hank@partner.test");
        assertThat(rig.holds.retryRecipientHolds(a -> rig.store.findUsable(a, dev.sealgate.certs.KeyPurpose.ENCRYPTION, false)
                .isPresent())).isEqualTo(1);

        CryptoRig.Row released = rig.row(id, "hank@partner.test");
        assertThat(released.status()).isEqualTo("PENDING");
        MimeMessage sent = rig.content(released);
        assertThat(sent.getSubject()).isEqualTo("for hank");
        assertThat(sent.getHeader("X-Sealgate-Request")).isNull();
        assertThat(decrypt(sent, hank)).contains("multipart/signed").contains("only for hank's eyes");
    }
}
