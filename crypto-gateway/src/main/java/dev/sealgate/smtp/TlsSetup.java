package dev.sealgate.smtp;

import dev.sealgate.tracking.EventLog;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The listener's TLS: certificate and key from PEM files, or a self-signed pair generated into the
 * data directory on first start. TLS 1.2 and 1.3 with AEAD cipher suites and forward secrecy only;
 * a client that offers nothing of these gets a closed connection and the admin an event naming
 * the peer and the reason, as in "Could not secure an inbound connection with the host ...". The
 * client can reconnect and send in plain text.
 */
public final class TlsSetup {

    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    static final List<String> MODERN_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private final SSLContext context;
    private final String[] suites;
    private final EventLog events;
    private final String generatedNote;

    private TlsSetup(SSLContext context, EventLog events, String generatedNote) {
        this.context = context;
        this.events = events;
        this.generatedNote = generatedNote;
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getCipherSuites());
        this.suites = MODERN_SUITES.stream().filter(supported::contains).toArray(String[]::new);
    }

    /**
     * Loads the PEM certificate chain and key when both paths are given; otherwise uses (and on
     * first start creates) {@code <dataDir>/tls/smtp-cert.pem} and {@code smtp-key.pem}. Records
     * no event itself (it may run before the database is migrated): see {@link #generatedNote()}.
     */
    public static TlsSetup load(Path certificate, Path key, Path dataDir, String hostName, EventLog events) {
        String note = null;
        try {
            if (certificate == null || key == null) {
                Path dir = dataDir.resolve("tls");
                certificate = dir.resolve("smtp-cert.pem");
                key = dir.resolve("smtp-key.pem");
                if (!Files.exists(certificate) || !Files.exists(key)) {
                    generateSelfSigned(hostName, certificate, key);
                    note = "Generated a self-signed TLS certificate for " + hostName + " in " + dir
                            + ": set sealgate.smtp.tls.certificate and sealgate.smtp.tls.key for a certificate clients trust";
                }
            }
            return new TlsSetup(context(certificate, key), events, note);
        } catch (IOException | GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot set up SMTP TLS from " + certificate + " and " + key + ": " + e.getMessage()
                    + "; give a PEM certificate chain and a PEM private key (sealgate.smtp.tls.certificate/key)", e);
        }
    }

    /** What to tell the admin when this start generated the self-signed certificate; null otherwise. */
    public String generatedNote() {
        return generatedNote;
    }

    SSLSocket serverSocket(Socket plain) throws IOException {
        InetSocketAddress remote = (InetSocketAddress) plain.getRemoteSocketAddress();
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, remote.getHostString(), remote.getPort(), true);
        s.setUseClientMode(false);
        s.setEnabledProtocols(PROTOCOLS);
        s.setEnabledCipherSuites(suites);
        return s;
    }

    void handshakeFailed(InetSocketAddress peer, SSLException e) {
        // the message names the host only (not the port), so that repeated failures of one client count in one event
        events.warning("smtp", "Could not secure an inbound connection with the host " + peer.getAddress().getHostAddress(),
                "TLS handshake failed (client port " + peer.getPort() + "): " + e.getMessage() + ". The connection was closed; the client may reconnect and"
                        + " send in plain text. Offered are TLS 1.2/1.3 with " + String.join(", ", suites));
    }

    private static SSLContext context(Path certificate, Path key) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(certificate, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + certificate);
        }
        PrivateKey privateKey;
        try (Reader r = Files.newBufferedReader(key, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            Object o = parser.readObject();
            JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                privateKey = keys.getPrivateKey(pair.getPrivateKeyInfo());
            } else if (o instanceof PrivateKeyInfo info) {
                privateKey = keys.getPrivateKey(info);
            } else {
                throw new GeneralSecurityException("no unencrypted private key in " + key);
            }
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = new char[0];
        store.setKeyEntry("smtp", privateKey, password, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
        return ctx;
    }

    private static void generateSelfSigned(String hostName, Path certificate, Path key)
            throws IOException, GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + hostName);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(3650))), subject, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, hostName)));
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        Files.createDirectories(certificate.getParent());
        Path keyTmp = key.resolveSibling(key.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(keyTmp, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new JcaPKCS8Generator(pair.getPrivate(), null));
        }
        try {
            Files.setPosixFilePermissions(keyTmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the data directory's own permissions protect the key
        }
        Files.move(keyTmp, key, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (Writer w = Files.newBufferedWriter(certificate, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(holder);
        }
    }
}
