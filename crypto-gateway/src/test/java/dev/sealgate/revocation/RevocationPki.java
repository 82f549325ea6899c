package dev.sealgate.revocation;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
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
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A three-level test PKI for revocation: a root, an issuing CA under it, a delegated OCSP responder
 * certificate of the issuing CA (id-kp-OCSPSigning), and S/MIME users whose certificates name the
 * OCSP responder and CRL distribution point URLs a test gives. Serial numbers are chosen before the
 * certificates are made, so the index of an {@code openssl ocsp} responder can be written (and the
 * responder started, which picks its port) before the users' certificates name that port.
 */
public final class RevocationPki {

    private static final SecureRandom RANDOM = new SecureRandom();

    public final KeyPair rootKeys = rsa();
    public final X509Certificate root;
    public final KeyPair caKeys = rsa();
    public final X509Certificate ca;
    public final KeyPair responderKeys = rsa();
    public final X509Certificate responder;

    /** A user certificate with its key. */
    public record User(String email, X509Certificate certificate, PrivateKey key) {
    }

    /**
     * @param caCrlUrl CRL distribution point of the issuing CA's certificate (the root's CRL), or null
     */
    public RevocationPki(String name, String caCrlUrl) {
        X500Name rootName = new X500Name("CN=" + name + " Root,O=Sealgate Tests");
        X500Name caName = new X500Name("CN=" + name + " Issuing CA,O=Sealgate Tests");
        Instant now = Instant.now();
        root = certificate(rootName, rootName, rootKeys, rootKeys, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)),
                serial(), true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign), null, null, null, null);
        ca = certificate(caName, rootName, caKeys, rootKeys, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1800)),
                serial(), true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign), null, null, caCrlUrl, root);
        responder = certificate(new X500Name("CN=" + name + " OCSP Responder,O=Sealgate Tests"), caName, responderKeys, caKeys,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), serial(), false,
                new KeyUsage(KeyUsage.digitalSignature), KeyPurposeId.id_kp_OCSPSigning, null, null, ca);
    }

    public static BigInteger serial() {
        return new BigInteger(64, RANDOM).setBit(62);
    }

    /** A user issued by the issuing CA with the given serial, OCSP URL and CRL URL (each may be null). */
    public User user(String email, BigInteger serial, String ocspUrl, String crlUrl) {
        KeyPair keys = rsa();
        Instant now = Instant.now();
        X509Certificate certificate = certificate(new X500Name("CN=" + email), X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                keys, caKeys, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), serial, false,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment), KeyPurposeId.id_kp_emailProtection,
                ocspUrl, crlUrl, ca, email);
        return new User(email, certificate, keys.getPrivate());
    }

    /** A CRL of the issuing CA listing the given certificates (reason keyCompromise). */
    public X509CRL caCrl(Instant thisUpdate, Instant nextUpdate, X509Certificate... revoked) {
        return crl(ca, caKeys.getPrivate(), thisUpdate, nextUpdate, revoked);
    }

    /** A CRL of the root listing the given certificates (reason cACompromise for CA certificates). */
    public X509CRL rootCrl(Instant thisUpdate, Instant nextUpdate, X509Certificate... revoked) {
        return crl(root, rootKeys.getPrivate(), thisUpdate, nextUpdate, revoked);
    }

    /** A current CRL with the issuing CA's name but signed by another key: a forgery. */
    public X509CRL forgedCaCrl(X509Certificate... revoked) {
        return crl(ca, rsa().getPrivate(), Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)), revoked);
    }

    private static X509CRL crl(X509Certificate issuer, PrivateKey key, Instant thisUpdate, Instant nextUpdate,
                               X509Certificate... revoked) {
        X509v2CRLBuilder builder = new X509v2CRLBuilder(X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
                Date.from(thisUpdate));
        builder.setNextUpdate(Date.from(nextUpdate));
        for (X509Certificate c : revoked) {
            builder.addCRLEntry(c.getSerialNumber(), Date.from(thisUpdate.minusSeconds(30)),
                    c.getBasicConstraints() >= 0 ? CRLReason.cACompromise : CRLReason.keyCompromise);
        }
        try {
            return new JcaX509CRLConverter().getCRL(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line of an {@code openssl ca} index: the certificate's status as the responder will tell it. */
    public record IndexEntry(BigInteger serial, String subject, Instant revokedAt, String reason) {

        public static IndexEntry valid(BigInteger serial, String email) {
            return new IndexEntry(serial, "/CN=" + email, null, null);
        }

        public static IndexEntry revoked(BigInteger serial, String email, Instant at, String reason) {
            return new IndexEntry(serial, "/CN=" + email, at, reason);
        }

        String line() {
            DateTimeFormatter time = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
            String expiry = time.format(Instant.now().plus(Duration.ofDays(365)));
            String hex = serial.toString(16).toUpperCase(Locale.ROOT);
            if (hex.length() % 2 == 1) {
                hex = "0" + hex;
            }
            String revocation = revokedAt == null ? "" : time.format(revokedAt) + (reason == null ? "" : "," + reason);
            return (revokedAt == null ? "V" : "R") + "\t" + expiry + "\t" + revocation + "\t" + hex + "\tunknown\t" + subject;
        }
    }

    /** Writes ca.pem, responder.pem, responder.key and index.txt for {@code openssl ocsp} into the directory. */
    public Path writeResponderFiles(Path dir, List<IndexEntry> entries) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("ca.pem"), pem(ca));
        Files.writeString(dir.resolve("responder.pem"), pem(responder));
        Files.writeString(dir.resolve("responder.key"), pem(new JcaPKCS8Generator(responderKeys.getPrivate(), null).generate()));
        Files.writeString(dir.resolve("ca.key"), pem(new JcaPKCS8Generator(caKeys.getPrivate(), null).generate()));
        Files.writeString(dir.resolve("root.pem"), pem(root));
        Files.writeString(dir.resolve("root.key"), pem(new JcaPKCS8Generator(rootKeys.getPrivate(), null).generate()));
        List<String> lines = new ArrayList<>();
        for (IndexEntry entry : entries) {
            lines.add(entry.line());
        }
        Files.write(dir.resolve("index.txt"), lines);
        return dir;
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

    public static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate certificate(X500Name subject, X500Name issuer, KeyPair subjectKeys, KeyPair issuerKeys,
                                               Instant notBefore, Instant notAfter, BigInteger serial, boolean isCa,
                                               KeyUsage usage, KeyPurposeId eku, String ocspUrl, String crlUrl,
                                               X509Certificate issuerCertificate, String... emails) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore),
                    Date.from(notAfter), subject, subjectKeys.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            builder.addExtension(Extension.keyUsage, true, usage);
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            if (issuerCertificate != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerCertificate));
            }
            if (eku != null) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
            }
            if (emails.length > 0) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.rfc822Name, emails[0])));
            }
            if (ocspUrl != null) {
                builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                        AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl)));
            }
            if (crlUrl != null) {
                builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                    new DistributionPoint(new DistributionPointName(new GeneralNames(
                            new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl))), null, null)}));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }
}
