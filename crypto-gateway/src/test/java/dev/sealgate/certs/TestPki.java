package dev.sealgate.certs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
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

/**
 * A small test PKI: a root CA that issues S/MIME certificates with the addresses, key usages and
 * validity a test asks for, plus PKCS#12, PEM and CRLs of them. Fast (RSA 2048 for tests).
 */
public final class TestPki {

    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

    private final KeyPair caKeys;
    private final X509Certificate caCertificate;

    private TestPki(KeyPair caKeys, X509Certificate caCertificate) {
        this.caKeys = caKeys;
        this.caCertificate = caCertificate;
    }

    public static TestPki create(String name) {
        return create(new X500Name("CN=" + name + ",O=Sealgate Test"));
    }

    /** Another CA with the same name as the given one but its own key: an impostor. */
    public static TestPki createWithSameName(TestPki other) {
        return create(X500Name.getInstance(other.caCertificate.getSubjectX500Principal().getEncoded()));
    }

    private static TestPki create(X500Name subject) {
        KeyPair keys = rsa();
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), subject, keys.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            return new TestPki(keys, convert(builder.build(signer(keys))));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    public Issued issue(String address) {
        return builder(address).issue();
    }

    public Builder builder(String address) {
        return new Builder(address);
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CRL of this CA listing the given certificates. */
    public X509CRL crl(X509Certificate... revokedCertificates) {
        try {
            Instant now = Instant.now();
            X509v2CRLBuilder builder = new X509v2CRLBuilder(X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()),
                    Date.from(now.minusSeconds(60)));
            builder.setNextUpdate(Date.from(now.plus(Duration.ofDays(7))));
            for (X509Certificate c : revokedCertificates) {
                builder.addCRLEntry(c.getSerialNumber(), Date.from(now.minusSeconds(30)), CRLReason.keyCompromise);
            }
            return new JcaX509CRLConverter().getCRL(builder.build(signer(caKeys)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                writer.writeObject(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static ContentSigner signer(KeyPair keys) {
        try {
            return new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate convert(org.bouncycastle.cert.X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    /** A certificate issued by the test CA, with its key pair. */
    public record Issued(X509Certificate certificate, KeyPair keys, X509Certificate ca) {

        public byte[] pkcs12(char[] password) {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("key", keys.getPrivate(), password, new Certificate[] {certificate, ca});
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                store.store(out, password);
                return out.toByteArray();
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public final class Builder {
        private final String address;
        private boolean subjectEmailOnly;
        private int keyUsage = KeyUsage.digitalSignature | KeyUsage.keyEncipherment;
        private Instant notBefore = Instant.now().minus(Duration.ofDays(1));
        private Instant notAfter = Instant.now().plus(Duration.ofDays(365));
        private KeyPair keys;

        private Builder(String address) {
            this.address = address;
        }

        /** Puts the address only into the subject's emailAddress, not into a SAN. */
        public Builder subjectEmailOnly() {
            this.subjectEmailOnly = true;
            return this;
        }

        public Builder keyUsage(int keyUsage) {
            this.keyUsage = keyUsage;
            return this;
        }

        public Builder validity(Instant notBefore, Instant notAfter) {
            this.notBefore = notBefore;
            this.notAfter = notAfter;
            return this;
        }

        public Builder keys(KeyPair keys) {
            this.keys = keys;
            return this;
        }

        public Issued issue() {
            KeyPair subjectKeys = keys != null ? keys : rsa();
            try {
                X500Name subject = new X500Name("CN=" + address.replace(",", "") + ",E=" + address);
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                        X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()), serial(),
                        Date.from(notBefore), Date.from(notAfter), subject, subjectKeys.getPublic());
                JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
                builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKeys.getPublic()));
                builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(caCertificate));
                if (!subjectEmailOnly) {
                    builder.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.rfc822Name, address)));
                }
                return new Issued(convert(builder.build(signer(caKeys))), subjectKeys, caCertificate);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
