package dev.sealgate.certprovider.local;

import dev.sealgate.certprovider.CertificateChain;
import dev.sealgate.certprovider.CertificateProvider;
import dev.sealgate.certprovider.CertificateProviderException;
import dev.sealgate.certprovider.CsrCheck;
import dev.sealgate.certprovider.EnrollmentRequest;
import dev.sealgate.certprovider.EnrollmentResult;
import dev.sealgate.certprovider.OrderReference;
import dev.sealgate.certprovider.Pem;
import dev.sealgate.certprovider.ProviderFailure;
import dev.sealgate.certprovider.RevocationReason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default CA: a root and an issuing CA created on first start, kept in one
 * password-protected PKCS#12 in the configured directory, issuing S/MIME certificates at once.
 *
 * <p>Files in the directory: {@code ca.p12} (both CA keys), {@code issued/<serial>.pem} (issued
 * certificates, for {@link #fetchChain}), {@code revoked.txt} (serial, time, reason per line),
 * {@code crl-number.txt}. Both CA keys are EC P-384: small, fast to create on first start, and
 * every S/MIME client in use verifies ECDSA signatures.
 */
public final class LocalCertificateAuthority implements CertificateProvider {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCertificateAuthority.class);
    private static final String KEY_STORE_FILE = "ca.p12";
    private static final String ROOT_ALIAS = "root";
    private static final String ISSUING_ALIAS = "issuing";
    private static final String SIGNATURE_ALGORITHM = "SHA384withECDSA";
    private static final Duration ROOT_VALIDITY = Duration.ofDays(20 * 365L);
    private static final Duration ISSUING_VALIDITY = Duration.ofDays(10 * 365L);
    private static final Duration BACKDATING = Duration.ofMinutes(5);
    private static final Pattern SERIAL = Pattern.compile("[0-9a-f]{1,64}");

    private final LocalCaConfig config;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final X509Certificate root;
    private final X509Certificate issuing;
    private final PrivateKey issuingKey;
    private final Map<BigInteger, RevokedEntry> revoked = new LinkedHashMap<>();
    private BigInteger crlNumber;
    private X509CRL crl;

    private record RevokedEntry(Instant at, int reason) {
    }

    private LocalCertificateAuthority(LocalCaConfig config, Clock clock, X509Certificate root, X509Certificate issuing,
            PrivateKey issuingKey) {
        this.config = config;
        this.clock = clock;
        this.root = root;
        this.issuing = issuing;
        this.issuingKey = issuingKey;
    }

    /** Loads the CA from its directory, creating root and issuing CA there on first start. */
    public static LocalCertificateAuthority openOrCreate(LocalCaConfig config) throws CertificateProviderException {
        return openOrCreate(config, Clock.systemUTC());
    }

    public static LocalCertificateAuthority openOrCreate(LocalCaConfig config, Clock clock)
            throws CertificateProviderException {
        Path keyStoreFile = config.directory().resolve(KEY_STORE_FILE);
        try {
            Files.createDirectories(config.directory().resolve("issued"));
            ownerOnly(config.directory(), true);
            LocalCertificateAuthority ca = Files.exists(keyStoreFile) ? load(config, clock, keyStoreFile)
                    : create(config, clock, keyStoreFile);
            ca.loadRevocations();
            ca.reissueCrl();
            return ca;
        } catch (IOException e) {
            throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, "local CA in "
                    + config.directory() + ": cannot read or write its files (" + e.getMessage()
                    + ") — check that the directory exists and is writable by the gateway's user", e);
        }
    }

    private static LocalCertificateAuthority load(LocalCaConfig config, Clock clock, Path keyStoreFile)
            throws CertificateProviderException {
        char[] password = config.keyStorePassword();
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password);
            if (!(keyStore.getKey(ISSUING_ALIAS, password) instanceof PrivateKey issuingKey)) {
                throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, "local CA key store "
                        + keyStoreFile + " holds no issuing CA key under alias '" + ISSUING_ALIAS
                        + "' — restore the file from backup or move it away to create a new CA");
            }
            X509Certificate root = (X509Certificate) keyStore.getCertificate(ROOT_ALIAS);
            X509Certificate issuing = (X509Certificate) keyStore.getCertificate(ISSUING_ALIAS);
            LOG.info("Local CA loaded from {}: issuing CA {}", keyStoreFile, issuing.getSubjectX500Principal());
            return new LocalCertificateAuthority(config, clock, root, issuing, issuingKey);
        } catch (GeneralSecurityException | IOException e) {
            throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, "local CA key store "
                    + keyStoreFile + " cannot be opened (" + e.getMessage()
                    + ") — the master key changed or the file is damaged; restore the master key or the file from backup", e);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    private static LocalCertificateAuthority create(LocalCaConfig config, Clock clock, Path keyStoreFile)
            throws IOException, CertificateProviderException {
        char[] password = config.keyStorePassword();
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp384r1"));
            KeyPair rootKeys = generator.generateKeyPair();
            KeyPair issuingKeys = generator.generateKeyPair();
            Instant now = clock.instant();
            X500Name rootName = caName(config.caName() + " Root CA");
            X500Name issuingName = caName(config.caName() + " Issuing CA");
            SecureRandom random = new SecureRandom();
            X509Certificate root = caCertificate(rootName, rootKeys.getPublic(), rootName, rootKeys.getPublic(),
                    rootKeys.getPrivate(), now, ROOT_VALIDITY, 1, random);
            X509Certificate issuing = caCertificate(issuingName, issuingKeys.getPublic(), rootName,
                    rootKeys.getPublic(), rootKeys.getPrivate(), now, ISSUING_VALIDITY, 0, random);

            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(ROOT_ALIAS, rootKeys.getPrivate(), password, new X509Certificate[] {root});
            keyStore.setKeyEntry(ISSUING_ALIAS, issuingKeys.getPrivate(), password, new X509Certificate[] {issuing, root});
            Path temp = Files.createTempFile(keyStoreFile.getParent(), KEY_STORE_FILE, ".tmp");
            ownerOnly(temp, false);
            try (OutputStream out = Files.newOutputStream(temp)) {
                keyStore.store(out, password);
            }
            moveAtomically(temp, keyStoreFile);
            LOG.info("Local CA created in {}: root {} and issuing CA {}", config.directory(),
                    root.getSubjectX500Principal(), issuing.getSubjectX500Principal());
            return new LocalCertificateAuthority(config, clock, root, issuing, issuingKeys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR,
                    "local CA in " + config.directory() + ": cannot create CA keys (" + e.getMessage()
                            + ") — the JVM lacks EC P-384 support; use a standard JDK", e);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    private static X500Name caName(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Sealgate").addRDN(BCStyle.CN, commonName).build();
    }

    private static X509Certificate caCertificate(X500Name subject, PublicKey subjectKey, X500Name issuer,
            PublicKey issuerKey, PrivateKey signingKey, Instant now, Duration validity, int pathLength,
            SecureRandom random) throws GeneralSecurityException, OperatorCreationException, IOException {
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(128, random).setBit(127),
                Date.from(now.minus(BACKDATING)), Date.from(now.plus(validity)), subject, subjectKey)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey))
                .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerKey));
        return sign(builder, signingKey);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException, OperatorCreationException {
        ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key);
        X509CertificateHolder holder = builder.build(signer);
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    @Override
    public String name() {
        return "local CA";
    }

    @Override
    public synchronized EnrollmentResult enroll(EnrollmentRequest request) throws CertificateProviderException {
        CsrCheck.KeyKind kind = CsrCheck.check(request);
        PublicKey key = CsrCheck.publicKey(request);
        Instant now = clock.instant();
        BigInteger serial = new BigInteger(128, random).setBit(127);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            int usage = KeyUsage.digitalSignature | KeyUsage.nonRepudiation
                    | (kind == CsrCheck.KeyKind.RSA ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuing, serial,
                    Date.from(now.minus(BACKDATING)), Date.from(now.plus(config.certificateValidity())),
                    new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, request.address()).build(), key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.rfc822Name, request.address())))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuing));
            if (config.crlDistributionPoint() != null) {
                GeneralNames where = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier,
                        config.crlDistributionPoint().toString()));
                builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                        new DistributionPoint(new DistributionPointName(where), null, null)}));
            }
            X509Certificate certificate = sign(builder, issuingKey);
            Path file = issuedFile(serialHex(serial));
            Files.writeString(file, Pem.encode(certificate), StandardCharsets.US_ASCII);
            LOG.info("Local CA issued certificate {} for {}", serialHex(serial), request.address());
            return new EnrollmentResult.Issued(new OrderReference(serialHex(serial), now), chainOf(certificate));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, "local CA in "
                    + config.directory() + ": cannot issue for " + request.address() + " (" + e.getMessage()
                    + ") — check that the directory is writable", e);
        }
    }

    @Override
    public EnrollmentResult poll(OrderReference order) throws CertificateProviderException {
        return new EnrollmentResult.Issued(order, fetchChain(order));
    }

    @Override
    public synchronized CertificateChain fetchChain(OrderReference order) throws CertificateProviderException {
        if (!SERIAL.matcher(order.id()).matches()) {
            throw new CertificateProviderException(ProviderFailure.INVALID_REQUEST, "local CA: order '" + order.id()
                    + "' is not one of ours (local CA orders are certificate serial numbers in lower-case hex)");
        }
        Path file = issuedFile(order.id());
        try {
            if (!Files.exists(file)) {
                throw new CertificateProviderException(ProviderFailure.INVALID_REQUEST, "local CA: no certificate with serial "
                        + order.id() + " in " + file.getParent() + " — the order belongs to another CA or the file was removed");
            }
            return chainOf(Pem.certificateFromBase64(Files.readString(file, StandardCharsets.US_ASCII)));
        } catch (IOException | GeneralSecurityException e) {
            throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, "local CA: cannot read " + file
                    + " (" + e.getMessage() + ") — restore it from backup", e);
        }
    }

    @Override
    public synchronized void revoke(X509Certificate certificate, RevocationReason reason)
            throws CertificateProviderException {
        BigInteger serial = certificate.getSerialNumber();
        try {
            certificate.verify(issuing.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CertificateProviderException(ProviderFailure.INVALID_REQUEST, "local CA: certificate "
                    + serialHex(serial) + " of " + certificate.getSubjectX500Principal()
                    + " was not issued by " + issuing.getSubjectX500Principal() + " — revoke it at the CA that issued it");
        }
        if (revoked.containsKey(serial)) {
            return;
        }
        revoked.put(serial, new RevokedEntry(clock.instant(), reason.crlReason()));
        try {
            saveRevocations();
        } catch (IOException e) {
            revoked.remove(serial);
            throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, "local CA in "
                    + config.directory() + ": cannot record the revocation of " + serialHex(serial) + " ("
                    + e.getMessage() + ") — check that the directory is writable", e);
        }
        reissueCrl();
        LOG.info("Local CA revoked certificate {} ({})", serialHex(serial), reason);
    }

    /** Root first, then the issuing CA: what relying parties import as trust anchor and intermediate. */
    public List<X509Certificate> caCertificates() {
        return List.of(root, issuing);
    }

    public String caCertificatesPem() {
        return Pem.encodeAll(caCertificates());
    }

    /** The current CRL of the issuing CA, re-issued once half of its validity has passed. */
    public synchronized X509CRL crl() throws CertificateProviderException {
        Instant halfway = crl.getThisUpdate().toInstant().plus(config.crlValidity().dividedBy(2));
        if (clock.instant().isAfter(halfway)) {
            reissueCrl();
        }
        return crl;
    }

    public byte[] crlDer() throws CertificateProviderException {
        try {
            return crl().getEncoded();
        } catch (java.security.cert.CRLException e) {
            throw new IllegalStateException("CRL we signed ourselves cannot be encoded", e);
        }
    }

    public String crlPem() throws CertificateProviderException {
        return Pem.encode(crl());
    }

    private void reissueCrl() throws CertificateProviderException {
        Instant now = clock.instant();
        try {
            crlNumber = crlNumber.add(BigInteger.ONE);
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    X500Name.getInstance(issuing.getSubjectX500Principal().getEncoded()), Date.from(now));
            builder.setNextUpdate(Date.from(now.plus(config.crlValidity())));
            revoked.forEach((serial, entry) -> builder.addCRLEntry(serial, Date.from(entry.at()), entry.reason()));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(crlNumber));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuing));
            crl = new JcaX509CRLConverter().getCRL(builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(issuingKey)));
            Files.writeString(config.directory().resolve("crl-number.txt"), crlNumber.toString(), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, "local CA in "
                    + config.directory() + ": cannot issue its CRL (" + e.getMessage()
                    + ") — check that the directory is writable", e);
        }
    }

    private void loadRevocations() throws IOException {
        Path numberFile = config.directory().resolve("crl-number.txt");
        crlNumber = Files.exists(numberFile) ? new BigInteger(Files.readString(numberFile).strip()) : BigInteger.ZERO;
        Path file = config.directory().resolve("revoked.txt");
        if (!Files.exists(file)) {
            return;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String[] fields = line.strip().split(" ");
            if (fields.length == 3) {
                revoked.put(new BigInteger(fields[0], 16),
                        new RevokedEntry(Instant.ofEpochSecond(Long.parseLong(fields[1])), Integer.parseInt(fields[2])));
            }
        }
    }

    private void saveRevocations() throws IOException {
        List<String> lines = new ArrayList<>();
        revoked.forEach((serial, entry) -> lines.add(serialHex(serial) + " " + entry.at().getEpochSecond() + " "
                + entry.reason()));
        Path file = config.directory().resolve("revoked.txt");
        Path temp = Files.createTempFile(config.directory(), "revoked", ".tmp");
        Files.write(temp, lines, StandardCharsets.US_ASCII);
        moveAtomically(temp, file);
    }

    private CertificateChain chainOf(X509Certificate certificate) {
        return new CertificateChain(List.of(certificate, issuing, root));
    }

    private Path issuedFile(String serialHex) {
        return config.directory().resolve("issued").resolve(serialHex + ".pem");
    }

    private static String serialHex(BigInteger serial) {
        return serial.toString(16);
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Owner-only where the file system knows POSIX permissions; elsewhere the directory's ACLs apply. */
    private static void ownerOnly(Path path, boolean directory) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"));
        }
    }

}
