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
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
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
 * The embedded default CA: a root and an issuing CA created on first start, issuing S/MIME
 * certificates at once. Its state lives in a {@link LocalCaStore}: a directory for a single node
 * ({@link FileLocalCaStore}), the database for a cluster, where every node's instance issues from
 * and publishes the same CA and CRL. Both CA keys are EC P-384: small, fast to create on first
 * start, and every S/MIME client in use verifies ECDSA signatures.
 *
 * <p>Serial numbers are 128 random bits (the top bit set, so every serial has the same length):
 * unique across nodes without coordination; the store refuses a serial it has seen, and the CA then
 * draws again. The CRL is published in the store; whoever re-issues it (after a revocation, or once
 * half its validity has passed) does so compare-and-set on its number, so CRL numbers only grow.
 */
public final class LocalCertificateAuthority implements CertificateProvider {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCertificateAuthority.class);
    private static final String SIGNATURE_ALGORITHM = "SHA384withECDSA";
    private static final Duration ROOT_VALIDITY = Duration.ofDays(20 * 365L);
    private static final Duration ISSUING_VALIDITY = Duration.ofDays(10 * 365L);
    private static final Duration BACKDATING = Duration.ofMinutes(5);
    private static final Pattern SERIAL = Pattern.compile("[0-9a-f]{1,64}");
    private static final int ATTEMPTS = 5;

    private final LocalCaStore store;
    private final LocalCaSettings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final X509Certificate root;
    private final X509Certificate issuing;
    private final PrivateKey issuingKey;

    private LocalCertificateAuthority(LocalCaStore store, LocalCaSettings settings, Clock clock,
            LocalCaStore.CaKeys keys) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.root = keys.root();
        this.issuing = keys.issuing();
        this.issuingKey = keys.issuingKey();
    }

    /** Loads the CA from its directory, creating root and issuing CA there on first start. */
    public static LocalCertificateAuthority openOrCreate(LocalCaConfig config) throws CertificateProviderException {
        return openOrCreate(config, Clock.systemUTC());
    }

    public static LocalCertificateAuthority openOrCreate(LocalCaConfig config, Clock clock)
            throws CertificateProviderException {
        return openOrCreate(new FileLocalCaStore(config), config.settings(), clock);
    }

    /**
     * Loads the CA from the store, creating root and issuing CA there on first start. When several
     * nodes start at once on an empty store, one CA is stored and all of them use it.
     */
    public static LocalCertificateAuthority openOrCreate(LocalCaStore store, LocalCaSettings settings, Clock clock)
            throws CertificateProviderException {
        LocalCaStore.CaKeys keys;
        var stored = store.load();
        if (stored.isPresent()) {
            keys = stored.get();
            LOG.info("Local CA loaded from {}: issuing CA {}", store.describe(), keys.issuing().getSubjectX500Principal());
        } else {
            LocalCaStore.CaKeys created = create(settings, clock);
            keys = store.createIfAbsent(created);
            if (keys == created) {
                LOG.info("Local CA created in {}: root {} and issuing CA {}", store.describe(),
                        keys.root().getSubjectX500Principal(), keys.issuing().getSubjectX500Principal());
            } else {
                LOG.info("Local CA created by another node at the same moment; using it: issuing CA {}",
                        keys.issuing().getSubjectX500Principal());
            }
        }
        LocalCertificateAuthority ca = new LocalCertificateAuthority(store, settings, clock, keys);
        ca.crl();
        return ca;
    }

    private static LocalCaStore.CaKeys create(LocalCaSettings settings, Clock clock) throws CertificateProviderException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp384r1"));
            KeyPair rootKeys = generator.generateKeyPair();
            KeyPair issuingKeys = generator.generateKeyPair();
            Instant now = clock.instant();
            X500Name rootName = caName(settings.caName() + " Root CA");
            X500Name issuingName = caName(settings.caName() + " Issuing CA");
            SecureRandom random = new SecureRandom();
            X509Certificate root = caCertificate(rootName, rootKeys.getPublic(), rootName, rootKeys.getPublic(),
                    rootKeys.getPrivate(), now, ROOT_VALIDITY, 1, random);
            X509Certificate issuing = caCertificate(issuingName, issuingKeys.getPublic(), rootName,
                    rootKeys.getPublic(), rootKeys.getPrivate(), now, ISSUING_VALIDITY, 0, random);
            return new LocalCaStore.CaKeys(root, rootKeys.getPrivate(), issuing, issuingKeys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR,
                    "local CA: cannot create CA keys (" + e.getMessage() + ") — the JVM lacks EC P-384 support; use a standard JDK", e);
        }
    }

    private static X500Name caName(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Sealgate").addRDN(BCStyle.CN, commonName).build();
    }

    private static X509Certificate caCertificate(X500Name subject, PublicKey subjectKey, X500Name issuer,
            PublicKey issuerKey, PrivateKey signingKey, Instant now, Duration validity, int pathLength,
            SecureRandom random) throws GeneralSecurityException, OperatorCreationException, IOException {
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(random),
                Date.from(now.minus(BACKDATING)), Date.from(now.plus(validity)), subject, subjectKey)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey))
                .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerKey));
        return sign(builder, signingKey);
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(128, random).setBit(127);
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
    public EnrollmentResult enroll(EnrollmentRequest request) throws CertificateProviderException {
        CsrCheck.KeyKind kind = CsrCheck.check(request);
        PublicKey key = CsrCheck.publicKey(request);
        Instant now = clock.instant();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            X509Certificate certificate = issue(request.address(), key, kind, now);
            if (store.recordIssued(certificate, request.address(), now)) {
                String serial = serialHex(certificate.getSerialNumber());
                LOG.info("Local CA issued certificate {} for {}", serial, request.address());
                return new EnrollmentResult.Issued(new OrderReference(serial, now), chainOf(certificate));
            }
        }
        throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, "local CA in " + store.describe()
                + ": " + ATTEMPTS + " random serials in a row were taken already — the random generator of this JVM is broken");
    }

    private X509Certificate issue(String address, PublicKey key, CsrCheck.KeyKind kind, Instant now)
            throws CertificateProviderException {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            int usage = KeyUsage.digitalSignature | KeyUsage.nonRepudiation
                    | (kind == CsrCheck.KeyKind.RSA ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuing, serial(random),
                    Date.from(now.minus(BACKDATING)), Date.from(now.plus(settings.certificateValidity())),
                    new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, address).build(), key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.rfc822Name, address)))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuing));
            if (settings.crlDistributionPoint() != null) {
                GeneralNames where = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier,
                        settings.crlDistributionPoint().toString()));
                builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                        new DistributionPoint(new DistributionPointName(where), null, null)}));
            }
            return sign(builder, issuingKey);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, "local CA: cannot issue for "
                    + address + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public EnrollmentResult poll(OrderReference order) throws CertificateProviderException {
        return new EnrollmentResult.Issued(order, fetchChain(order));
    }

    @Override
    public CertificateChain fetchChain(OrderReference order) throws CertificateProviderException {
        if (!SERIAL.matcher(order.id()).matches()) {
            throw new CertificateProviderException(ProviderFailure.INVALID_REQUEST, "local CA: order '" + order.id()
                    + "' is not one of ours (local CA orders are certificate serial numbers in lower-case hex)");
        }
        X509Certificate certificate = store.issued(new BigInteger(order.id(), 16))
                .orElseThrow(() -> new CertificateProviderException(ProviderFailure.INVALID_REQUEST, "local CA: no certificate"
                        + " with serial " + order.id() + " in " + store.describe()
                        + " — the order belongs to another CA or the certificate was removed"));
        return chainOf(certificate);
    }

    @Override
    public void revoke(X509Certificate certificate, RevocationReason reason) throws CertificateProviderException {
        BigInteger serial = certificate.getSerialNumber();
        try {
            certificate.verify(issuing.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CertificateProviderException(ProviderFailure.INVALID_REQUEST, "local CA: certificate "
                    + serialHex(serial) + " of " + certificate.getSubjectX500Principal()
                    + " was not issued by " + issuing.getSubjectX500Principal() + " — revoke it at the CA that issued it");
        }
        if (store.recordRevocation(new LocalCaStore.Revocation(serial, clock.instant(), reason.crlReason()))) {
            reissueCrl();
            LOG.info("Local CA revoked certificate {} ({})", serialHex(serial), reason);
        }
    }

    /** Root first, then the issuing CA: what relying parties import as trust anchor and intermediate. */
    public List<X509Certificate> caCertificates() {
        return List.of(root, issuing);
    }

    public String caCertificatesPem() {
        return Pem.encodeAll(caCertificates());
    }

    /**
     * The CRL published in the store, the same on every node; re-issued first when there is none
     * yet, or once half of its validity has passed.
     */
    public X509CRL crl() throws CertificateProviderException {
        LocalCaStore.PublishedCrl published = store.currentCrl();
        if (published.crl() != null) {
            Instant halfway = published.crl().getThisUpdate().toInstant().plus(settings.crlValidity().dividedBy(2));
            if (!clock.instant().isAfter(halfway)) {
                return published.crl();
            }
        }
        return reissueCrl();
    }

    public byte[] crlDer() throws CertificateProviderException {
        try {
            return crl().getEncoded();
        } catch (CRLException e) {
            throw new IllegalStateException("CRL we signed ourselves cannot be encoded", e);
        }
    }

    public String crlPem() throws CertificateProviderException {
        return Pem.encode(crl());
    }

    /** Signs a CRL with every revocation in the store and publishes it, unless another node was quicker. */
    private X509CRL reissueCrl() throws CertificateProviderException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            LocalCaStore.PublishedCrl published = store.currentCrl();
            BigInteger number = published.number().add(BigInteger.ONE);
            X509CRL crl = signCrl(number, store.revocations());
            if (store.publishCrl(crl, number, published.number())) {
                return crl;
            }
        }
        LocalCaStore.PublishedCrl published = store.currentCrl();
        if (published.crl() == null) {
            throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, "local CA in " + store.describe()
                    + ": could not publish a CRL in " + ATTEMPTS + " attempts, other nodes kept publishing first");
        }
        return published.crl();
    }

    private X509CRL signCrl(BigInteger number, List<LocalCaStore.Revocation> revocations)
            throws CertificateProviderException {
        Instant now = clock.instant();
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    X500Name.getInstance(issuing.getSubjectX500Principal().getEncoded()), Date.from(now));
            builder.setNextUpdate(Date.from(now.plus(settings.crlValidity())));
            revocations.forEach(r -> builder.addCRLEntry(r.serial(), Date.from(r.at()), r.reason()));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuing));
            return new JcaX509CRLConverter().getCRL(builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(issuingKey)));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, "local CA in " + store.describe()
                    + ": cannot sign its CRL (" + e.getMessage() + ")", e);
        }
    }

    private CertificateChain chainOf(X509Certificate certificate) {
        return new CertificateChain(List.of(certificate, issuing, root));
    }

    private static String serialHex(BigInteger serial) {
        return serial.toString(16);
    }
}
