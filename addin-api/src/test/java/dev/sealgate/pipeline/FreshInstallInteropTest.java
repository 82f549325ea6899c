package dev.sealgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.smime.TestPki;
import dev.sealgate.smime.interop.Gpgsm;
import dev.sealgate.smime.interop.MimeCut;
import dev.sealgate.smime.interop.Nss;
import dev.sealgate.smime.interop.OpenSsl;
import dev.sealgate.smime.interop.Peer;
import dev.sealgate.smtp.SmtpListener;
import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.smtp.Swaks;
import dev.sealgate.testkit.GatewayUnderTest;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Issue 9's promise for a fresh install, over real SMTP with nothing configured but the own domain
 * and a partner's CA as trust anchor (no policy touched): the partner's mail, signed by OpenSSL, is
 * stamped valid and its certificate harvested; the own user's plain reply leaves signed (the
 * default policy enrolls the user's certificate on the fly from the local CA) and encrypted to the
 * harvested certificate, and OpenSSL, gpgsm and NSS all decrypt it with the partner's key and
 * verify the signature against what /pki/ca.pem serves.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class FreshInstallInteropTest {

    private static final String KEY = "test-admin-key-fresh-0123456789";
    private static final SmtpSink INBOUND = SmtpSink.plain();
    private static final SmtpSink OUTBOUND = SmtpSink.plain();
    private static final TestPki.Identity PARTNER = TestPki.shared().user("partner@partner.test", TestPki.KeyKind.RSA_2048);

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayUnderTest.register(registry, () -> dataDir, KEY, "sealgate.test", INBOUND, OUTBOUND);
        registry.add("sealgate.trust-anchors", () -> {
            Path anchor = dataDir.resolve("partner-root.pem");
            try {
                TestPki.writePem(anchor, TestPki.shared().root());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return anchor.toString();
        });
    }

    @AfterAll
    static void stopSinks() {
        INBOUND.close();
        OUTBOUND.close();
    }

    @Autowired
    WebTestClient client;

    @Autowired
    SmtpListener listener;

    @Test
    void shouldTrustThePartnersSignedMailAndAnswerWithMailThatOpensslGpgsmAndNssAllReadAgainstTheCa() throws Exception {
        Swaks.requireInstalled();
        Path work = Files.createDirectories(dataDir.resolve("judges"));
        OpenSsl openssl = new OpenSsl(Files.createDirectories(work.resolve("openssl")));
        byte[] offer = OpenSsl.withHeaders(openssl.sign(PARTNER, OpenSsl.textEntity("our offer, signed by OpenSSL")),
                "From: partner@partner.test", "To: alice@sealgate.test", "Subject: offer",
                "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)),
                "Message-ID: <offer." + System.nanoTime() + "@partner.test>");
        send("127.0.0.2", "partner@partner.test", "alice@sealgate.test", Files.write(work.resolve("offer.eml"), offer));

        MimeMessage stamped = parse(INBOUND.await(m -> m.recipients().contains("alice@sealgate.test"), 1, Duration.ofSeconds(30))
                .get(0).content());
        assertThat(stamped.getHeader("X-Sealgate-Signature", null)).isEqualTo("valid; signer=partner@partner.test");
        assertThat(stamped.getHeader("X-Sealgate-Layer-1", null))
                .isEqualTo("signed; result=valid; covers=content; signer=partner@partner.test");
        client.get().uri(b -> b.path("/api/v1/admin/certificates").queryParam("address", "partner@partner.test").build())
                .header("X-Api-Key", KEY).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[0].kind").isEqualTo("PARTNER").jsonPath("$[0].trustStatus").isEqualTo("TRUSTED");
        client.get().uri("/api/v1/admin/policies/{scope}", "global").header("X-Api-Key", KEY).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.effective.outboundSigning").isEqualTo("AUTO")
                .jsonPath("$.effective.signatureFormat").isEqualTo("DETACHED")
                .jsonPath("$.effective.allowWeakSignatures").isEqualTo(false);

        Path answer = Files.writeString(work.resolve("reply.eml"), "From: alice@sealgate.test\r\nTo: partner@partner.test\r\n"
                + "Subject: Re: offer\r\nMessage-ID: <reply." + System.nanoTime() + "@sealgate.test>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\naccepted, from a fresh install\r\n");
        send("127.0.0.1", "alice@sealgate.test", "partner@partner.test", answer);
        byte[] reply = OUTBOUND.await(m -> m.recipients().contains("partner@partner.test"), 1, Duration.ofSeconds(30)).get(0).content();
        assertThat(new String(reply, StandardCharsets.ISO_8859_1)).contains("application/pkcs7-mime")
                .doesNotContain("accepted, from a fresh install");
        byte[] envelope = MimeCut.opaque(reply);
        byte[] caPemBytes = client.get().uri("/pki/ca.pem").exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        Path caPem = Files.write(work.resolve("ca.pem"), caPemBytes);
        List<X509Certificate> ca = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(caPemBytes))
                .stream().map(X509Certificate.class::cast).toList();

        Path keys = openssl.keys(PARTNER);
        Files.write(work.resolve("reply-out.eml"), reply);
        openssl.ok("cms", "-decrypt", "-in", work.resolve("reply-out.eml").toString(), "-recip", keys.resolve("cert.pem").toString(),
                "-inkey", keys.resolve("key.pem").toString(), "-out", work.resolve("openssl-decrypted.eml").toString());
        openssl.ok("cms", "-verify", "-in", work.resolve("openssl-decrypted.eml").toString(), "-CAfile", caPem.toString(),
                "-out", work.resolve("openssl-content.txt").toString());
        assertThat(Files.readString(work.resolve("openssl-content.txt"))).contains("accepted, from a fresh install");

        try (Gpgsm gpgsm = new Gpgsm(Files.createDirectories(work.resolve("gpgsm")))) {
            ca.forEach(gpgsm::trust);
            byte[] signedEntity = gpgsm.addKey(PARTNER).decrypt(envelope);
            MimeCut.Detached parts = MimeCut.detached(signedEntity);
            Peer.Result verified = gpgsm.verifyDetached(parts.signature(), parts.content());
            assertThat(verified.ok()).as(verified.describe()).isTrue();
            assertThat(verified.stderr()).contains("Good signature");
            assertThat(new String(parts.content(), StandardCharsets.ISO_8859_1)).contains("accepted, from a fresh install");
        }

        Nss nss = new Nss(Files.createDirectories(work.resolve("nss"))).addKey(PARTNER);
        for (int i = 0; i < ca.size(); i++) {
            nss.trust(ca.get(i), "Sealgate local CA " + i);
        }
        MimeCut.Detached parts = MimeCut.detached(nss.decodedContent(envelope));
        Peer.Result verified = nss.decode(parts.signature(), parts.content());
        assertThat(verified.ok()).as(verified.describe()).isTrue();
        assertThat(verified.stdout()).contains("signer0.status=GoodSignature");
        assertThat(new String(parts.content(), StandardCharsets.ISO_8859_1)).contains("accepted, from a fresh install");
    }

    private void send(String localAddress, String from, String to, Path message) throws Exception {
        Swaks.Result r = Swaks.run("--server", "127.0.0.1:" + listener.port(), "--local-interface", localAddress,
                "--ehlo", "client.test", "--from", from, "--to", to, "--data", message.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    private static MimeMessage parse(byte[] content) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(content));
    }
}
