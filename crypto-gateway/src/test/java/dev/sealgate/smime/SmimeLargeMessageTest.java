package dev.sealgate.smime;

import dev.sealgate.smime.TestPki.Identity;
import dev.sealgate.smime.TestPki.KeyKind;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;
import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.CMSEnvelopedDataParser;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 100 MB message is signed, encrypted and decrypted again by the engine in a JVM limited to
 * -Xmx256m; the output is checked here with Bouncy Castle's streaming parsers (never the in-memory
 * CMS classes).
 */
class SmimeLargeMessageTest {

    private static final long BODY_BYTES = 100L * 1024 * 1024;
    private static final String ENTITY_HEADERS = "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n";
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    @TempDir
    Path dir;

    @Test
    void shouldSignEncryptAndDecrypt100MegabytesWithin256MegabytesOfHeap() throws Exception {
        Identity signer = TestPki.shared().user(KeyKind.RSA_3072);
        Identity recipient = TestPki.shared().user(KeyKind.RSA_2048);
        signer.writePem(dir.resolve("signer"));
        recipient.writePem(dir.resolve("recipient"));
        byte[] expectedEntityDigest = writeMessage(dir.resolve("message.eml"));

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), LargeMessageMain.class.getName(), dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("fork.log").toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("forked engine finished").isTrue();
        String log = Files.readString(dir.resolve("fork.log"));
        assertThat(p.exitValue()).as(log).isZero();
        System.out.println("-Xmx256m run: " + log.strip());
        Files.writeString(Path.of("target", "large-message-heap.txt"), log);

        for (ContentEncryption c : List.of(ContentEncryption.AES256_CBC, ContentEncryption.AES256_GCM)) {
            Path signed = dir.resolve("decrypted-" + c + ".eml");
            decryptStreaming(dir.resolve(c + ".eml"), c.authenticated(), recipient, signed);
            assertThat(verifyStreaming(signed, signer)).as("signed content digest for " + c).isEqualTo(expectedEntityDigest);
            assertThat(verifyStreaming(dir.resolve("engine-decrypted-" + c + ".eml"), signer))
                    .as("content the engine decrypted from " + c).isEqualTo(expectedEntityDigest);
        }
    }

    /** Writes a spooled-looking message of CRLF text lines; returns the SHA-256 of its content entity. */
    private static byte[] writeMessage(Path file) throws Exception {
        MessageDigest entity = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(("From: rsa3072@sealgate.test\r\nTo: rsa2048@sealgate.test\r\nSubject: large\r\nMIME-Version: 1.0\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] headers = ENTITY_HEADERS.getBytes(StandardCharsets.US_ASCII);
            out.write(headers);
            entity.update(headers);
            byte[] line = "0123456789 the quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopqrstuvwxyz\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            for (long written = 0; written < BODY_BYTES; written += line.length) {
                out.write(line);
                entity.update(line);
            }
        }
        return entity.digest();
    }

    private static void decryptStreaming(Path encrypted, boolean gcm, Identity recipient, Path out) throws Exception {
        try (SharedFileInputStream file = new SharedFileInputStream(encrypted.toFile());
             InputStream der = new MimeMessage(Messages.SESSION, file).getInputStream();
             OutputStream sink = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            RecipientInformation info;
            CMSTypedStream content;
            if (gcm) {
                info = new CMSAuthEnvelopedDataParser(der).getRecipientInfos().getRecipients().iterator().next();
                content = info.getContentStream(new JceKeyTransAuthEnvelopedRecipient(recipient.key()).setProvider(BC));
            } else {
                info = new CMSEnvelopedDataParser(der).getRecipientInfos().getRecipients().iterator().next();
                content = info.getContentStream(new JceKeyTransEnvelopedRecipient(recipient.key()).setProvider(BC));
            }
            sink.write("From: x@sealgate.test\r\n".getBytes(StandardCharsets.US_ASCII));
            try (InputStream in = content.getContentStream()) {
                in.transferTo(sink);
            }
        }
    }

    private static byte[] verifyStreaming(Path signedEntity, Identity signer) throws Exception {
        try (SharedFileInputStream file = new SharedFileInputStream(signedEntity.toFile());
             InputStream der = new MimeMessage(Messages.SESSION, file).getInputStream()) {
            CMSSignedDataParser parser = new CMSSignedDataParser(
                    new JcaDigestCalculatorProviderBuilder().setProvider(BC).build(), der);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream content = parser.getSignedContent().getContentStream();
                 OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
                content.transferTo(sink);
            }
            SignerInformation si = parser.getSignerInfos().getSigners().iterator().next();
            assertThat(si.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(signer.certificate())))
                    .as("signature over the 100 MB content").isTrue();
            return digest.digest();
        }
    }
}
