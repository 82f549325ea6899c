package dev.sealgate.smime;

import dev.sealgate.smime.TestPki.Identity;
import dev.sealgate.smime.TestPki.KeyKind;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.mail.smime.SMIMESignedGenerator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmimeVerifierTest {

    private static final TestPki PKI = TestPki.shared();
    private final Identity alice = PKI.user(KeyKind.RSA_2048);

    @Test
    void shouldReportValidWithSignerAddressAndTime() {
        VerificationResult r = new SmimeVerifier(PKI.trust()).verify(signedBy(alice, alice.email()));

        assertThat(r.status()).isEqualTo(VerificationStatus.VALID);
        assertThat(r.failed()).isEmpty();
        assertThat(r.signerCertificate()).contains(alice.certificate());
        assertThat(r.reason()).isEqualTo("signature by " + alice.email() + " is valid and trusted");
    }

    @Test
    void shouldReportBadSignatureWhenContentChangedAfterSigning() {
        String wire = Messages.string(signedBy(alice, alice.email())).replace("hello verifier", "hello verifiex");

        VerificationResult r = new SmimeVerifier(PKI.trust()).verify(Messages.parse(wire));

        assertThat(r.status()).isEqualTo(VerificationStatus.BAD_SIGNATURE);
        assertThat(r.reason()).contains("changed after it was signed").doesNotContain("\n");
    }

    @Test
    void shouldReportBadSignatureWhenOpaqueContentChanged() {
        SmimeSigner signer = new SmimeSigner(alice.key(), alice.chain(),
                SigningOptions.defaults().withFormat(SignatureFormat.OPAQUE));
        byte[] wire = Messages.bytes(signer.sign(Messages.text(alice.email(), "x".repeat(600))));
        String s = new String(wire, StandardCharsets.ISO_8859_1);
        int body = s.indexOf("\r\n\r\n") + 4;
        byte[] der = java.util.Base64.getMimeDecoder().decode(s.substring(body));
        int at = new String(der, StandardCharsets.ISO_8859_1).indexOf("xxxx");
        der[at] = 'y';
        String tampered = s.substring(0, body) + java.util.Base64.getMimeEncoder().encodeToString(der) + "\r\n";

        VerificationResult r = new SmimeVerifier(PKI.trust()).verify(Messages.parse(tampered));

        assertThat(r.status()).isEqualTo(VerificationStatus.BAD_SIGNATURE);
    }

    @Test
    void shouldReportUntrustedChainForAForeignRoot() {
        Identity stranger = TestPki.foreign().user(KeyKind.EC_P256);

        VerificationResult r = new SmimeVerifier(PKI.trust()).verify(signedBy(stranger, stranger.email()));

        assertThat(r.status()).isEqualTo(VerificationStatus.UNTRUSTED_CHAIN);
        assertThat(r.failed()).containsExactly(VerificationCheck.CHAIN);
        assertThat(r.reason()).contains("no path from the signer certificate", "import the issuing CA");
    }

    @Test
    void shouldReportExpiredCertificate() {
        Identity old = PKI.expired(KeyKind.RSA_2048);

        VerificationResult r = new SmimeVerifier(PKI.trust()).verify(signedBy(old, old.email()));

        assertThat(r.status()).isEqualTo(VerificationStatus.EXPIRED);
        assertThat(r.reason()).contains("is not valid at", "renew");
    }

    @Test
    void shouldReportRevokedWhenACrlListsTheSigner() {
        VerificationResult r = new SmimeVerifier(PKI.trust().withCrls(List.of(PKI.crl(alice.certificate()))))
                .verify(signedBy(alice, alice.email()));

        assertThat(r.status()).isEqualTo(VerificationStatus.REVOKED);
        assertThat(r.reason()).contains("revoked");
    }

    @Test
    void shouldReportUntrustedNotRevokedWhenNoCrlCoversTheChain() {
        VerificationResult r = new SmimeVerifier(PKI.trust().withCrls(List.of(TestPki.foreign().crl())))
                .verify(signedBy(alice, alice.email()));

        assertThat(r.status()).isEqualTo(VerificationStatus.UNTRUSTED_CHAIN);
        assertThat(r.reason()).contains("revocation cannot be checked", "provide a current CRL");
    }

    @Test
    void shouldReportValidWhenTheCrlDoesNotListTheSigner() {
        VerificationResult r = new SmimeVerifier(PKI.trust().withCrls(List.of(PKI.crl())))
                .verify(signedBy(alice, alice.email()));

        assertThat(r.status()).as(r.reason()).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void shouldReportAddressMismatchWhenFromIsSomeoneElse() {
        VerificationResult r = new SmimeVerifier(PKI.trust()).verify(signedBy(alice, "mallory@sealgate.test"));

        assertThat(r.status()).isEqualTo(VerificationStatus.ADDRESS_MISMATCH);
        assertThat(r.reason()).contains("header From mallory@sealgate.test is not among", alice.email());
        assertThat(r.signerAddress()).contains(alice.email());
    }

    @Test
    void shouldCompareDomainWithoutCaseButLocalPartExactly() {
        String upperDomain = alice.email().replace("sealgate.test", "SealGate.TEST");
        String upperLocal = alice.email().toUpperCase().replace("SEALGATE.TEST", "sealgate.test");
        SmimeVerifier verifier = new SmimeVerifier(PKI.trust());

        assertThat(verifier.verify(signedBy(alice, upperDomain)).status()).isEqualTo(VerificationStatus.VALID);
        assertThat(verifier.verify(signedBy(alice, upperLocal)).status()).isEqualTo(VerificationStatus.ADDRESS_MISMATCH);
    }

    @Test
    void shouldReportUntrustedChainForACertificateWithoutSigningKeyUsage() throws Exception {
        Identity noSign = PKI.withoutSigningUsage(KeyKind.RSA_2048);
        // Our signer refuses such a certificate, so another implementation (BC's SMIME generator) signs.
        SMIMESignedGenerator gen = new SMIMESignedGenerator();
        gen.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder().build("SHA256withRSA", noSign.key(),
                noSign.certificate()));
        gen.addCertificates(new JcaCertStore(noSign.chain()));
        MimeBodyPart content = new MimeBodyPart();
        content.setText("hello", "us-ascii");
        MimeMultipart mp = gen.generate(content);
        MimeMessage m = new MimeMessage(Messages.SESSION);
        m.setFrom(noSign.email());
        m.setContent(mp, mp.getContentType());
        m.saveChanges();

        VerificationResult r = new SmimeVerifier(PKI.trust()).verify(Messages.reparse(m));

        assertThat(r.status()).isEqualTo(VerificationStatus.UNTRUSTED_CHAIN);
        assertThat(r.failed()).contains(VerificationCheck.KEY_USAGE);
        assertThat(r.reason()).contains("lacks key usage digitalSignature/nonRepudiation");
    }

    @Test
    void shouldReportUntrustedChainForACertificateWhoseExtendedKeyUsageLacksEmailProtection() {
        Identity tls = PKI.withoutEmailProtection(KeyKind.RSA_2048);

        VerificationResult r = new SmimeVerifier(PKI.trust()).verify(signedBy(tls, tls.email()));

        assertThat(r.status()).isEqualTo(VerificationStatus.UNTRUSTED_CHAIN);
        assertThat(r.failed()).containsExactly(VerificationCheck.KEY_USAGE);
        assertThat(r.reason()).contains("extended key usage without emailProtection");
    }

    @Test
    void shouldTreatAResolverReturningNullAsNoKey() {
        MimeMessage encrypted = new SmimeEncryptor(EncryptionOptions.defaults())
                .encrypt(Messages.text(alice.email(), "x"), List.of(RecipientSpec.of(alice.certificate())));

        assertThatThrownBy(() -> new SmimeDecryptor(ref -> null).decrypt(encrypted))
                .isInstanceOf(SmimeKeyNotFoundException.class);
    }

    @Test
    void shouldRefuseToSignWithACertificateWithoutSigningKeyUsage() {
        Identity noSign = PKI.withoutSigningUsage(KeyKind.EC_P256);

        assertThatThrownBy(() -> new SmimeSigner(noSign.key(), noSign.chain(), SigningOptions.defaults()))
                .isInstanceOf(SmimeCertificateException.class)
                .hasMessageContaining("lacks key usage digitalSignature/nonRepudiation: use an e-mail signing certificate");
    }

    @Test
    void shouldHarvestAdvertisedCapabilities() {
        VerificationResult r = new SmimeVerifier(PKI.trust()).verify(signedBy(alice, alice.email()));

        assertThat(r.capabilities().preferred()).contains(ContentEncryption.AES256_GCM);
        assertThat(r.certificates()).contains(alice.certificate());
        assertThat(r.encryptionCertificate()).contains(alice.certificate());
    }

    @Test
    void shouldCarryAndReportASeparateEncryptionCertificate() {
        Identity encryptionOnly = PKI.withoutSigningUsage(KeyKind.RSA_2048);
        SmimeSigner signer = new SmimeSigner(alice.key(), alice.chain(),
                SigningOptions.defaults().withEncryptionKeyPreference(encryptionOnly.certificate()));

        VerificationResult r = new SmimeVerifier(PKI.trust())
                .verify(Messages.reparse(signer.sign(Messages.text(alice.email(), "x"))));

        assertThat(r.status()).isEqualTo(VerificationStatus.VALID);
        assertThat(r.encryptionCertificate()).contains(encryptionOnly.certificate());
    }

    private static MimeMessage signedBy(Identity signer, String from) {
        return Messages.reparse(new SmimeSigner(signer.key(), signer.chain(), SigningOptions.defaultsFor(signer.certificate()))
                .sign(Messages.text(from, "hello verifier")));
    }
}
