package dev.sealgate.smime;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A throwaway PKI for tests: one RSA root and user certificates with rfc822Name SAN, emailProtection
 * EKU and key usage fit for S/MIME; plus expired, wrong-key-usage, revoked and foreign-root variants.
 * Keys are generated at test time and never written outside target/ or a JUnit temp directory.
 */
public final class TestPki {

    /** Key types of user certificates. */
    public enum KeyKind {
        RSA_2048("RSA-2048"), RSA_3072("RSA-3072"), EC_P256("EC-P256"), EC_P384("EC-P384");

        final String label;

        KeyKind(String label) {
            this.label = label;
        }

        public boolean ec() {
            return this == EC_P256 || this == EC_P384;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** A user: address, key, certificate and chain (certificate first, root last). */
    public record Identity(String email, PrivateKey key, X509Certificate certificate, List<X509Certificate> chain) {

        public RecipientKeyResolver resolver() {
            return RecipientKeyResolver.of(key, certificate);
        }

        /** Writes cert.pem, key.pem (PKCS#8, unencrypted) and chain.pem into {@code dir}. */
        public Path writePem(Path dir) throws IOException {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("cert.pem"), pem(certificate));
            Files.writeString(dir.resolve("key.pem"), pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate()));
            StringBuilder chainPem = new StringBuilder();
            for (X509Certificate c : chain) {
                chainPem.append(pem(c));
            }
            Files.writeString(dir.resolve("chain.pem"), chainPem);
            return dir;
        }
    }

    private static volatile TestPki shared;
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final KeyPair rootKeys;
    private final X509Certificate root;
    private final Map<String, Identity> cache = new ConcurrentHashMap<>();

    private TestPki(String rootName) {
        rootKeys = generate(KeyKind.RSA_3072);
        root = build(new X500Name(rootName), new X500Name(rootName), rootKeys.getPublic(), rootKeys.getPrivate(),
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(3650)), true, null,
                new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign), false, null);
    }

    /** The PKI most tests share, built once per JVM. */
    public static TestPki shared() {
        if (shared == null) {
            synchronized (TestPki.class) {
                if (shared == null) {
                    shared = new TestPki("CN=Sealgate Test Root CA,O=Sealgate Tests");
                }
            }
        }
        return shared;
    }

    /** A second, unrelated PKI: its certificates do not chain to {@link #shared()}'s root. */
    public static TestPki foreign() {
        return new TestPki("CN=Foreign Test Root CA,O=Elsewhere");
    }

    public X509Certificate root() {
        return root;
    }

    public TrustSettings trust() {
        return TrustSettings.of(root);
    }

    /** A good S/MIME user of this key type, cached per address. */
    public Identity user(KeyKind kind) {
        return user(kind.label.toLowerCase().replace("-", "") + "@sealgate.test", kind);
    }

    public Identity user(String email, KeyKind kind) {
        return cache.computeIfAbsent(email + "/" + kind, k -> issue(email, kind, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(365)), defaultUsage(kind), true));
    }

    /** A user whose certificate expired yesterday. */
    public Identity expired(KeyKind kind) {
        return issue("expired@sealgate.test", kind, Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)), defaultUsage(kind), true);
    }

    /** A user whose certificate allows only key encipherment/agreement: no signing. */
    public Identity withoutSigningUsage(KeyKind kind) {
        return issue("nosign@sealgate.test", kind, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(365)),
                new KeyUsage(kind.ec() ? KeyUsage.keyAgreement : KeyUsage.keyEncipherment), true);
    }

    /** A user whose certificate allows only signing: no key encipherment/agreement. */
    public Identity withoutEncryptionUsage(KeyKind kind) {
        return issue("noenc@sealgate.test", kind, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(365)), new KeyUsage(KeyUsage.digitalSignature), true);
    }

    /** A user whose certificate has an extended key usage without emailProtection (TLS client only). */
    public Identity withoutEmailProtection(KeyKind kind) {
        return issue("tlsonly@sealgate.test", kind, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(365)), defaultUsage(kind), false);
    }

    /** A good S/MIME user with an RSA key of only 1024 bits: too weak to sign mail today (issue 9). */
    public Identity weakRsa(String email) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(1024);
            KeyPair keys = g.generateKeyPair();
            X509Certificate cert = build(X500Name.getInstance(root.getSubjectX500Principal().getEncoded()),
                    new X500Name("CN=" + email + ",O=Sealgate Tests"), keys.getPublic(), rootKeys.getPrivate(),
                    Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)), false, email,
                    defaultUsage(KeyKind.RSA_2048), true, root);
            return new Identity(email, keys.getPrivate(), cert, List.of(cert, root));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CRL of the root revoking the given certificates (none: an empty, current CRL). */
    public X509CRL crl(X509Certificate... revoked) {
        try {
            Date now = new Date();
            X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(root.getSubjectX500Principal().getEncoded()),
                    new Date(now.getTime() - 60_000));
            b.setNextUpdate(new Date(now.getTime() + 86_400_000L));
            for (X509Certificate c : revoked) {
                b.addCRLEntry(c.getSerialNumber(), new Date(now.getTime() - 30_000), CRLReason.keyCompromise);
            }
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(root));
            return new JcaX509CRLConverter().getCRL(b.build(signer(rootKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyUsage defaultUsage(KeyKind kind) {
        return new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation
                | (kind.ec() ? KeyUsage.keyAgreement : KeyUsage.keyEncipherment));
    }

    private Identity issue(String email, KeyKind kind, Instant from, Instant to, KeyUsage usage, boolean emailEku) {
        KeyPair keys = generate(kind);
        X509Certificate cert = build(X500Name.getInstance(root.getSubjectX500Principal().getEncoded()),
                new X500Name("CN=" + email + ",O=Sealgate Tests"), keys.getPublic(), rootKeys.getPrivate(), from, to,
                false, email, usage, emailEku, root);
        return new Identity(email, keys.getPrivate(), cert, List.of(cert, root));
    }

    private static X509Certificate build(X500Name issuer, X500Name subject, java.security.PublicKey key,
                                         PrivateKey issuerKey, Instant from, Instant to, boolean ca, String email,
                                         KeyUsage usage, boolean emailEku, X509Certificate issuerCert) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to), subject, key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.keyUsage, true, usage);
            b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
            if (issuerCert != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerCert));
            }
            if (email != null) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
            }
            if (email != null) {
                b.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(emailEku ? KeyPurposeId.id_kp_emailProtection : KeyPurposeId.id_kp_clientAuth));
            }
            return new JcaX509CertificateConverter().getCertificate(b.build(signer(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContentSigner signer(PrivateKey key) throws Exception {
        return new JcaContentSignerBuilder("SHA256withRSA").build(key);
    }

    static KeyPair generate(KeyKind kind) {
        try {
            KeyPairGenerator g;
            switch (kind) {
                case RSA_2048 -> {
                    g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(2048);
                }
                case RSA_3072 -> {
                    g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(3072);
                }
                case EC_P256 -> {
                    g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"));
                }
                default -> {
                    g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp384r1"));
                }
            }
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(Object o) {
        try {
            StringWriter sw = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
                w.writeObject(o);
            }
            return sw.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void writePem(Path file, Object o) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write(pem(o));
        }
    }
}
