package dev.sealgate.smime;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Properties;

/**
 * Run in a forked JVM with a small heap by {@link SmimeLargeMessageTest}: signs (opaque) a large
 * spooled message, encrypts the signed message with AES-256-CBC and with AES-256-GCM, decrypts both
 * again, file to file, and prints the peak heap use. Arguments: work directory holding message.eml and
 * the PEM files.
 */
public final class LargeMessageMain {

    private LargeMessageMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Session session = Session.getInstance(new Properties());
        PrivateKey signerKey = key(dir.resolve("signer/key.pem"));
        X509Certificate signerCert = certificate(dir.resolve("signer/cert.pem"));
        X509Certificate recipient = certificate(dir.resolve("recipient/cert.pem"));
        PrivateKey recipientKey = key(dir.resolve("recipient/key.pem"));

        SmimeSigner signer = new SmimeSigner(signerKey, List.of(signerCert),
                SigningOptions.defaults().withFormat(SignatureFormat.OPAQUE));
        try (SharedFileInputStream in = new SharedFileInputStream(dir.resolve("message.eml").toFile());
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("signed.eml")), 65536)) {
            signer.sign(new MimeMessage(session, in), out);
        }
        for (ContentEncryption c : List.of(ContentEncryption.AES256_CBC, ContentEncryption.AES256_GCM)) {
            SmimeEncryptor encryptor = new SmimeEncryptor(EncryptionOptions.defaults().withContentEncryption(c));
            try (SharedFileInputStream in = new SharedFileInputStream(dir.resolve("signed.eml").toFile());
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(c + ".eml")), 65536)) {
                encryptor.encrypt(new MimeMessage(session, in), List.of(RecipientSpec.of(recipient)), out);
            }
        }
        SmimeDecryptor decryptor = new SmimeDecryptor(RecipientKeyResolver.of(recipientKey, recipient));
        for (ContentEncryption c : List.of(ContentEncryption.AES256_CBC, ContentEncryption.AES256_GCM)) {
            try (SharedFileInputStream in = new SharedFileInputStream(dir.resolve(c + ".eml").toFile());
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("engine-decrypted-" + c + ".eml")),
                         65536)) {
                decryptor.decrypt(new MimeMessage(session, in), out);
            }
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("peakHeapBytes=" + peak + " maxHeapBytes=" + Runtime.getRuntime().maxMemory());
    }

    private static PrivateKey key(Path pem) throws Exception {
        try (Reader r = Files.newBufferedReader(pem); PEMParser p = new PEMParser(r)) {
            return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) p.readObject());
        }
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
