package dev.sealgate.certprovider.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Keys, CSRs, CAs and key stores for tests, all generated at test time. No private key is ever
 * committed; nothing here is meant for production.
 */
public final class TestPki {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestPki() {
    }

    public static KeyPair rsaKeyPair() {
        return keyPair("RSA", 2048);
    }

    public static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair keyPair(String algorithm, int size) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(size);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CSR for {@code address} (CN and rfc822Name), signed with the pair's private key. */
    public static PKCS10CertificationRequest csr(KeyPair keys, String address) {
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.rfc822Name, address)));
            return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + address), keys.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(new JcaContentSignerBuilder(signatureAlgorithm(keys.getPrivate())).build(keys.getPrivate()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CSR that names no address at all. */
    public static PKCS10CertificationRequest csrWithoutAddress(KeyPair keys) {
        try {
            return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=nobody"), keys.getPublic())
                    .build(new JcaContentSignerBuilder(signatureAlgorithm(keys.getPrivate())).build(keys.getPrivate()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CSR for {@code address} that carries another key than the one that signed it: no proof of possession. */
    public static PKCS10CertificationRequest csrWithoutProofOfPossession(String address) {
        CertificationRequest signed = csr(rsaKeyPair(), address).toASN1Structure();
        CertificationRequestInfo info = signed.getCertificationRequestInfo();
        SubjectPublicKeyInfo otherKey = SubjectPublicKeyInfo.getInstance(rsaKeyPair().getPublic().getEncoded());
        CertificationRequestInfo forged = new CertificationRequestInfo(info.getSubject(), otherKey, info.getAttributes());
        return new PKCS10CertificationRequest(new CertificationRequest(forged, signed.getSignatureAlgorithm(),
                (DERBitString) signed.getSignature()));
    }

    public static PublicKey publicKeyOf(PKCS10CertificationRequest csr) {
        try {
            return new JcaPEMKeyConverter().getPublicKey(csr.getSubjectPublicKeyInfo());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String signatureAlgorithm(PrivateKey key) {
        return key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    }

    /** A CA with its key; {@link #root} makes a self-signed one. */
    public record TestCa(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain) {

        public static TestCa root(String commonName) {
            KeyPair keys = ecKeyPair();
            X500Name name = new X500Name("O=Sealgate Test,CN=" + commonName);
            X509Certificate certificate = build(name, keys.getPublic(), name, keys.getPrivate(), true, null);
            return new TestCa(certificate, keys.getPrivate(), List.of(certificate));
        }

        public TestCa intermediate(String commonName) {
            KeyPair keys = ecKeyPair();
            X509Certificate certificate = build(new X500Name("O=Sealgate Test,CN=" + commonName), keys.getPublic(),
                    subject(), key, true, null);
            return new TestCa(certificate, keys.getPrivate(), prepend(certificate, chain));
        }

        /** What a trust center does with a CSR: an S/MIME certificate for the CSR's own public key and address. */
        public X509Certificate issueSmime(PKCS10CertificationRequest csr, String address) {
            return build(new X500Name("CN=" + address), publicKeyOf(csr), subject(), key, false, builder -> {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.rfc822Name, address)));
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            });
        }

        public X509Certificate issueTlsServer(PublicKey key, String hostName) {
            return build(new X500Name("CN=" + hostName), key, subject(), this.key, false, builder -> {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, hostName),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            });
        }

        public X509Certificate issueTlsClient(PublicKey key, String commonName) {
            return build(new X500Name("O=Sealgate Test,CN=" + commonName), key, subject(), this.key, false,
                    builder -> builder.addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth)));
        }

        public X500Name subject() {
            return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        }

        private interface Extensions {
            void add(X509v3CertificateBuilder builder) throws Exception;
        }

        private static X509Certificate build(X500Name subject, PublicKey subjectKey, X500Name issuer, PrivateKey signer,
                boolean ca, Extensions extensions) {
            try {
                Instant now = Instant.now();
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                        new BigInteger(128, RANDOM).setBit(127), Date.from(now.minus(Duration.ofMinutes(5))),
                        Date.from(now.plus(Duration.ofDays(30))), subject, subjectKey)
                        .addExtension(Extension.basicConstraints, true, ca ? new BasicConstraints(0) : new BasicConstraints(false));
                if (ca) {
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                }
                if (extensions != null) {
                    extensions.add(builder);
                }
                return new JcaX509CertificateConverter().getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private static List<X509Certificate> prepend(X509Certificate first, List<X509Certificate> rest) {
            List<X509Certificate> all = new java.util.ArrayList<>();
            all.add(first);
            all.addAll(rest);
            return List.copyOf(all);
        }
    }

    /** Writes a PKCS#12 with one key entry. */
    public static Path pkcs12(Path file, String alias, PrivateKey key, List<X509Certificate> chain, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, key, password, chain.toArray(X509Certificate[]::new));
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password);
            }
            return file;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a PKCS#12 trust store holding the given certificates as trusted entries. */
    public static Path trustStore(Path file, List<X509Certificate> certificates, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("trusted-" + i, certificates.get(i));
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password);
            }
            return file;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned-looking but well-formed JWT expiring at {@code expiresAt}; clients only read its exp. */
    public static String jwt(Instant expiresAt) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"sub\":\"api-user\",\"exp\":" + expiresAt.getEpochSecond()
                + ",\"nonce\":\"" + new BigInteger(64, RANDOM).toString(16) + "\"}").getBytes(StandardCharsets.UTF_8));
        byte[] signature = new byte[32];
        RANDOM.nextBytes(signature);
        return header + "." + payload + "." + b64.encodeToString(signature);
    }
}
