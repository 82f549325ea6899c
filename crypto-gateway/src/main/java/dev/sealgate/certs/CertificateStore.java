package dev.sealgate.certs;

import dev.sealgate.cluster.CacheGenerations;
import dev.sealgate.cluster.GenerationalCache;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The key and certificate store in the shared database: own certificates with their private keys
 * (encrypted under the master key), partner certificates, trust anchors, CA certificates and CRLs.
 * Every node sees the same store.
 *
 * <p>The mail path's look-ups are cached on every node (ADR 0212): which certificate is usable for
 * an address and purpose, and the decrypted private keys of own certificates with their chains.
 * Every change of the {@code certificate} table goes through this class and moves the cache
 * generation {@value #CACHE} when it commits (ADR 0191): the node that made it drops its caches at
 * once, the others within {@code sealgate.cache.check-interval}.
 */
public class CertificateStore {

    /** The name of the certificate caches in {@code cache_generation}. */
    public static final String CACHE = "certificate";

    /** Answers held per cache and node by default ({@code sealgate.certificates.cache.max-entries}). */
    public static final int DEFAULT_MAX_ENTRIES = 1_000;

    private static final String COLUMNS = "c.id, c.kind, c.trust_status, c.fingerprint, c.subject, c.issuer, c.serial, "
            + "c.subject_key_id, c.not_before, c.not_after, c.can_sign, c.can_encrypt, c.key_algorithm, c.revoked_at, "
            + "c.domain_certificate_for, c.private_key IS NOT NULL AS has_private_key, c.smime_capabilities, "
            + "c.capabilities_at, c.created_at, c.der, c.origin, c.origin_detail";

    private static final Logger log = LoggerFactory.getLogger(CertificateStore.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    /**
     * For an insert that may meet the same certificate inserted by another transaction at the same
     * moment: inside a caller's transaction (a harvest, a bundle import) it runs under a savepoint,
     * so that the duplicate key rolls back only the insert; PostgreSQL would otherwise abort the
     * whole transaction, and the look-up of the other row would fail with it. Alone, a transaction
     * of its own.
     */
    private final TransactionTemplate insertion;
    private final PrivateKeyCipher cipher;
    private final Clock clock;
    private final CacheGenerations generations;
    private final GenerationalCache<UsableQuery, UsableAnswer> usable;
    private final GenerationalCache<KeyQuery, OwnKey> ownKeys;
    private final int maxEntries;
    /**
     * Parsed certificates by their DER bytes. Not under the cache generation: the same bytes always
     * parse to the same certificate, so no change can make an entry wrong.
     */
    private final Map<ByteBuffer, X509Certificate> parsed = new ConcurrentHashMap<>();
    /** Registered once with each transaction that changes the store: publishes the change when it commits. */
    private final TransactionSynchronization publishOnCommit = new TransactionSynchronization() {
        @Override
        public void beforeCommit(boolean readOnly) {
            generations.bump(CACHE);
        }

        @Override
        public void afterCompletion(int status) {
            dropLocal();
        }
    };

    /** Without a shared check interval: the cache generations are read before every look-up (never stale). */
    public CertificateStore(DataSource dataSource, PrivateKeyCipher cipher, Clock clock) {
        this(dataSource, cipher, clock, new CacheGenerations(dataSource, Duration.ZERO), DEFAULT_MAX_ENTRIES);
    }

    /**
     * @param generations this node's cache generations (on the same data source)
     * @param maxEntries  answers held at most per cache, {@code sealgate.certificates.cache.max-entries};
     *                    parsed certificates are kept up to the same number
     */
    public CertificateStore(DataSource dataSource, PrivateKeyCipher cipher, Clock clock, CacheGenerations generations,
                            int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("sealgate.certificates.cache.max-entries must be at least 1, was " + maxEntries);
        }
        this.jdbc = JdbcClient.create(dataSource);
        DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.insertion = new TransactionTemplate(transactionManager);
        this.insertion.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.cipher = cipher;
        this.clock = clock;
        this.generations = generations;
        this.usable = generations.cache(CACHE, maxEntries);
        this.ownKeys = generations.cache(CACHE, maxEntries);
        this.maxEntries = maxEntries;
    }

    private record UsableQuery(MailAddress address, KeyPurpose purpose, boolean includeUntrusted) {
    }

    /**
     * What {@link #findUsable} answered (certificate null: none), and until when that answer holds
     * as time passes: the next instant at which a candidate becomes valid, expires or is revoked.
     */
    private record UsableAnswer(StoredCertificate certificate, Instant goodUntil) {

        boolean holdsAt(Instant now, KeyPurpose purpose) {
            return now.isBefore(goodUntil) && (certificate == null || certificate.isUsableFor(purpose, now));
        }
    }

    private record KeyQuery(long id, String fingerprint) {
    }

    /**
     * Notes that the running transaction changed what the caches hold; every change of the
     * {@code certificate} table runs in a transaction of {@link #transactions} (or one it joins) and
     * calls this; outside one, it throws. This node's caches are
     * dropped now and again when the transaction ends, so that a look-up that read the old rows
     * meanwhile cannot keep them; the cache generation moves just before the commit, in the same
     * transaction, so other nodes drop theirs once the change is visible to them. Moving it last
     * holds the generation's row lock only for the commit: two transactions that each store
     * certificates cannot deadlock on it.
     */
    private void changed() {
        dropLocal();
        if (!TransactionSynchronizationManager.getSynchronizations().contains(publishOnCommit)) {
            TransactionSynchronizationManager.registerSynchronization(publishOnCommit);
        }
    }

    private void dropLocal() {
        usable.clear();
        ownKeys.clear();
    }

    private X509Certificate parse(byte[] der) {
        ByteBuffer key = ByteBuffer.wrap(der);
        X509Certificate cached = parsed.get(key);
        if (cached != null) {
            return cached;
        }
        X509Certificate certificate = Certificates.parse(der);
        if (parsed.size() >= maxEntries) {
            parsed.clear();
        }
        parsed.put(key, certificate);
        return certificate;
    }

    // ---- adding -------------------------------------------------------------------------------

    /**
     * Stores a certificate without a private key, or returns the stored one. A certificate already
     * stored keeps its kind unless it is promoted (intermediate to partner or anchor, partner to
     * anchor; never demoted, an own certificate stays own); an UNTRUSTED one becomes TRUSTED when
     * added as trusted.
     */
    public StoredCertificate add(X509Certificate certificate, CertificateKind kind, TrustStatus trust) {
        return add(certificate, kind, trust, CertificateOrigin.UNKNOWN);
    }

    /**
     * As {@link #add(X509Certificate, CertificateKind, TrustStatus)}, recording where it came from. The
     * first origin stays (a partner certificate harvested and later imported again was harvested);
     * only a certificate whose origin is unknown gets the one given now.
     */
    public StoredCertificate add(X509Certificate certificate, CertificateKind kind, TrustStatus trust, CertificateOrigin origin) {
        if (kind == CertificateKind.OWN) {
            throw new IllegalArgumentException("an own certificate needs its private key: use addOwn");
        }
        String fingerprint = Certificates.fingerprint(certificate);
        Optional<StoredCertificate> existing = findByFingerprint(fingerprint);
        if (existing.isPresent()) {
            StoredCertificate stored = existing.get();
            boolean promote = (stored.kind() == CertificateKind.INTERMEDIATE && kind != CertificateKind.INTERMEDIATE)
                    || (kind == CertificateKind.ANCHOR && stored.kind() == CertificateKind.PARTNER);
            transactions.executeWithoutResult(status -> {
                if (promote) {
                    jdbc.sql("UPDATE certificate SET kind = ? WHERE id = ?").params(kind.name(), stored.id()).update();
                    changed();
                }
                if (trust == TrustStatus.TRUSTED && stored.trustStatus() != TrustStatus.TRUSTED) {
                    jdbc.sql("UPDATE certificate SET trust_status = ? WHERE id = ?").params(trust.name(), stored.id()).update();
                    changed();
                }
                learnOrigin(stored, origin);
            });
            return get(stored.id()).orElseThrow();
        }
        return insert(certificate, fingerprint, kind, trust, null, origin);
    }

    private void learnOrigin(StoredCertificate stored, CertificateOrigin origin) {
        if (stored.origin().source() == CertificateOrigin.Source.UNKNOWN && origin.source() != CertificateOrigin.Source.UNKNOWN) {
            jdbc.sql("UPDATE certificate SET origin = ?, origin_detail = ? WHERE id = ? AND origin = 'UNKNOWN'")
                    .params(origin.source().name(), origin.detail(), stored.id()).update();
        }
    }

    /** Stores an own certificate with its private key, which is encrypted before it reaches the database. */
    public StoredCertificate addOwn(X509Certificate certificate, PrivateKey privateKey) {
        return addOwn(certificate, privateKey, CertificateOrigin.UNKNOWN);
    }

    /** As {@link #addOwn(X509Certificate, PrivateKey)}, recording where it came from (see {@link #add}). */
    public StoredCertificate addOwn(X509Certificate certificate, PrivateKey privateKey, CertificateOrigin origin) {
        if (!KeyPairs.matches(certificate.getPublicKey(), privateKey)) {
            throw new IllegalArgumentException("the private key does not belong to the certificate "
                    + certificate.getSubjectX500Principal().getName());
        }
        String fingerprint = Certificates.fingerprint(certificate);
        byte[] sealed = cipher.seal(privateKey, fingerprint);
        Optional<StoredCertificate> existing = findByFingerprint(fingerprint);
        if (existing.isPresent()) {
            transactions.executeWithoutResult(status -> {
                jdbc.sql("UPDATE certificate SET kind = ?, trust_status = ?, private_key = ? WHERE id = ?")
                        .params(CertificateKind.OWN.name(), TrustStatus.TRUSTED.name(), sealed, existing.get().id())
                        .update();
                learnOrigin(existing.get(), origin);
                changed();
            });
            return get(existing.get().id()).orElseThrow();
        }
        return insert(certificate, fingerprint, CertificateKind.OWN, TrustStatus.TRUSTED, sealed, origin);
    }

    /**
     * Stores what an import brought: certificates with keys as own, their chains as intermediates
     * (self-signed ones too: an anchor is only made by importing it as one), the rest as
     * {@code kindForCertificates}, CRLs. Imported by an admin, so trusted.
     */
    public List<StoredCertificate> importBundle(CertificateBundle bundle, CertificateKind kindForCertificates) {
        return importBundle(bundle, kindForCertificates, CertificateOrigin.UNKNOWN);
    }

    /** As {@link #importBundle(CertificateBundle, CertificateKind)}, recording who imported it (see {@link #add}). */
    public List<StoredCertificate> importBundle(CertificateBundle bundle, CertificateKind kindForCertificates, CertificateOrigin origin) {
        return transactions.execute(status -> {
            List<StoredCertificate> result = new ArrayList<>();
            for (CertificateBundle.KeyEntry entry : bundle.keyEntries()) {
                result.add(addOwn(entry.certificate(), entry.privateKey(), origin));
                for (X509Certificate ca : entry.chain()) {
                    result.add(add(ca, CertificateKind.INTERMEDIATE, TrustStatus.TRUSTED, origin));
                }
            }
            for (X509Certificate certificate : bundle.certificates()) {
                CertificateKind kind = kindForCertificates == CertificateKind.PARTNER && certificate.getBasicConstraints() >= 0
                        ? CertificateKind.INTERMEDIATE : kindForCertificates;
                result.add(add(certificate, kind, TrustStatus.TRUSTED, origin));
            }
            for (X509CRL crl : bundle.crls()) {
                importCrl(crl);
            }
            return result;
        });
    }

    /**
     * Keeps the certificate of a verified signer as a partner certificate, with its trust status and
     * the capabilities the signature advertised; CA certificates of the chain are kept as
     * intermediates. A certificate seen before gets the newer capabilities (and is promoted to
     * trusted when it now chains to an anchor, never demoted).
     *
     * @param smimeCapabilities DER of the SMIMECapabilities attribute value, or null when absent; a
     *                          malformed one is ignored (with a warning), the certificate still kept
     */
    public StoredCertificate harvest(X509Certificate signer, List<X509Certificate> chain, TrustStatus trustStatus,
                                     byte[] smimeCapabilities) {
        return harvest(signer, chain, trustStatus, smimeCapabilities, CertificateOrigin.UNKNOWN);
    }

    /** As {@link #harvest(X509Certificate, List, TrustStatus, byte[])}, recording the message it came with (see {@link #add}). */
    public StoredCertificate harvest(X509Certificate signer, List<X509Certificate> chain, TrustStatus trustStatus,
                                     byte[] smimeCapabilities, CertificateOrigin origin) {
        byte[] capabilities = smimeCapabilities;
        if (capabilities != null) {
            try {
                SmimeCapabilities.decode(capabilities);
            } catch (IllegalArgumentException malformed) {
                log.warn("Ignoring malformed SMIMECapabilities in the signature of {}: {}",
                        signer.getSubjectX500Principal().getName(), malformed.getMessage());
                capabilities = null;
            }
        }
        byte[] validCapabilities = capabilities;
        return transactions.execute(status -> {
            StoredCertificate stored = findByFingerprint(Certificates.fingerprint(signer)).orElse(null);
            if (stored == null) {
                stored = add(signer, CertificateKind.PARTNER, trustStatus, origin);
            } else if (stored.kind() == CertificateKind.INTERMEDIATE) {
                stored = add(signer, CertificateKind.PARTNER, trustStatus, origin);
            } else if (trustStatus == TrustStatus.TRUSTED && stored.trustStatus() != TrustStatus.TRUSTED) {
                jdbc.sql("UPDATE certificate SET trust_status = ? WHERE id = ?").params(trustStatus.name(), stored.id()).update();
                changed();
            }
            learnOrigin(stored, origin);
            if (validCapabilities != null) {
                jdbc.sql("UPDATE certificate SET smime_capabilities = ?, capabilities_at = ? WHERE id = ?")
                        .params(validCapabilities, now(), stored.id())
                        .update();
                if (!stored.capabilities().equals(SmimeCapabilities.decode(validCapabilities))) {
                    // only what the planner decides on drops the cache: most signatures repeat what was known
                    changed();
                }
            }
            for (X509Certificate ca : chain) {
                if (!ca.equals(signer) && ca.getBasicConstraints() >= 0) {
                    add(ca, CertificateKind.INTERMEDIATE, trustStatus, origin);
                }
            }
            return get(stored.id()).orElseThrow();
        });
    }

    private StoredCertificate insert(X509Certificate certificate, String fingerprint, CertificateKind kind,
                                     TrustStatus trust, byte[] sealedKey, CertificateOrigin origin) {
        try {
            return insertion.execute(status -> {
                KeyHolder keys = new GeneratedKeyHolder();
                jdbc.sql("INSERT INTO certificate (fingerprint, kind, trust_status, subject, subject_canonical, "
                                + "issuer, issuer_canonical, serial, subject_key_id, not_before, not_after, can_sign, "
                                + "can_encrypt, key_algorithm, der, private_key, created_at, origin, origin_detail) "
                                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                        .params(fingerprint, kind.name(), trust.name(),
                                Certificates.readable(certificate.getSubjectX500Principal()),
                                Certificates.canonical(certificate.getSubjectX500Principal()),
                                Certificates.readable(certificate.getIssuerX500Principal()),
                                Certificates.canonical(certificate.getIssuerX500Principal()),
                                Certificates.serialHex(certificate.getSerialNumber()),
                                Certificates.subjectKeyIdentifier(certificate),
                                utc(certificate.getNotBefore().toInstant()),
                                utc(certificate.getNotAfter().toInstant()),
                                Certificates.allows(certificate, KeyPurpose.SIGNING),
                                Certificates.allows(certificate, KeyPurpose.ENCRYPTION),
                                certificate.getPublicKey().getAlgorithm(),
                                Certificates.encoded(certificate), sealedKey, now(), origin.source().name(), origin.detail())
                        .update(keys, "id");
                long id = keys.getKeyAs(Number.class).longValue();
                changed();
                for (Map.Entry<MailAddress, Certificates.AddressSource> address : Certificates.addresses(certificate).entrySet()) {
                    jdbc.sql("INSERT INTO certificate_address (certificate_id, local_part, domain, source) VALUES (?, ?, ?, ?)")
                            .params(id, address.getKey().localPart(), address.getKey().domain(), address.getValue().name())
                            .update();
                }
                verifyHeldCrls(certificate);
                applyStoredCrls(id, certificate);
                return get(id).orElseThrow();
            });
        } catch (DuplicateKeyException raced) {
            StoredCertificate other = findByFingerprint(fingerprint).orElseThrow(() -> raced);
            return sealedKey == null ? other : addOwnKey(other, sealedKey);
        }
    }

    private StoredCertificate addOwnKey(StoredCertificate stored, byte[] sealedKey) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("UPDATE certificate SET kind = ?, trust_status = ?, private_key = ? WHERE id = ?")
                    .params(CertificateKind.OWN.name(), TrustStatus.TRUSTED.name(), sealedKey, stored.id()).update();
            changed();
        });
        return get(stored.id()).orElseThrow();
    }

    // ---- lookup -------------------------------------------------------------------------------

    public Optional<StoredCertificate> get(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM certificate c WHERE id = ?").param(id)
                .query(this::row).optional().map(this::withAddresses);
    }

    public Optional<StoredCertificate> findByFingerprint(String fingerprint) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM certificate c WHERE fingerprint = ?")
                .param(fingerprint.toLowerCase(Locale.ROOT).replace(":", ""))
                .query(this::row).optional().map(this::withAddresses);
    }

    /** For CMS IssuerAndSerialNumber recipient and signer identifiers. */
    public Optional<StoredCertificate> findByIssuerAndSerial(X500Principal issuer, BigInteger serial) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM certificate c WHERE issuer_canonical = ? AND serial = ?")
                .params(Certificates.canonical(issuer), Certificates.serialHex(serial))
                .query(this::row).list().stream().findFirst().map(this::withAddresses);
    }

    /** For CMS SubjectKeyIdentifier recipient and signer identifiers; prefers the one with a private key. */
    public Optional<StoredCertificate> findBySubjectKeyIdentifier(byte[] subjectKeyIdentifier) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM certificate c WHERE subject_key_id = ?")
                .param(HexFormat.of().formatHex(subjectKeyIdentifier))
                .query(this::row).list().stream()
                .max(Comparator.comparing(StoredCertificate::hasPrivateKey).thenComparing(StoredCertificate::notBefore))
                .map(this::withAddresses);
    }

    /** Every certificate stored for the address (its own; not the domain certificate), newest first. */
    public List<StoredCertificate> findByAddress(String address) {
        MailAddress parsed = MailAddress.parse(address);
        return jdbc.sql("SELECT " + COLUMNS + ", a.source FROM certificate c JOIN certificate_address a "
                        + "ON a.certificate_id = c.id WHERE a.domain = ? AND a.local_part = ? ORDER BY c.not_before DESC, c.id DESC")
                .params(parsed.domain(), parsed.localPart())
                .query(this::row).list().stream().map(this::withAddresses).toList();
    }

    /**
     * The best usable certificate for the address and purpose: valid now, not revoked, key usage fits
     * (and for signing, the private key is there); trusted before untrusted, an address found in the
     * SAN before one found only in the subject, then the newest. When the address has none, the
     * domain certificate of its domain stands in.
     *
     * @param includeUntrusted whether a harvested certificate that chains to no anchor may be chosen
     */
    public Optional<StoredCertificate> findUsable(String address, KeyPurpose purpose, boolean includeUntrusted) {
        return Optional.ofNullable(choose(new UsableQuery(MailAddress.parse(address), purpose, includeUntrusted)).certificate());
    }

    /**
     * {@link #findUsable} through the read cache of the mail path (ADR 0212): a certificate found is
     * kept until a change of the store reaches this node (at once for a change made here, within
     * {@code sealgate.cache.check-interval} for one made on another node) or until a candidate of
     * the address becomes valid, expires or is revoked, and is checked against the clock on every
     * use. That none was found is not kept, so a certificate imported, harvested or enrolled on any
     * node is used at once. Enrollment and renewal decide on {@link #findUsable}, never on this: a
     * certificate another node enrolled a moment ago must stop them from enrolling again.
     */
    public Optional<StoredCertificate> findUsableCached(String address, KeyPurpose purpose, boolean includeUntrusted) {
        UsableQuery query = new UsableQuery(MailAddress.parse(address), purpose, includeUntrusted);
        UsableAnswer answer = usable.get(query, this::choose);
        if (!answer.holdsAt(clock.instant(), purpose)) {
            // a candidate became valid, expired or was revoked since it was chosen: choose again
            usable.remove(query);
            answer = usable.get(query, this::choose);
        }
        if (answer.certificate() == null) {
            usable.remove(query);
        }
        return Optional.ofNullable(answer.certificate());
    }

    private UsableAnswer choose(UsableQuery query) {
        MailAddress address = query.address();
        List<Candidate> ofAddress = jdbc.sql("SELECT " + COLUMNS + ", a.source FROM certificate c JOIN certificate_address a "
                        + "ON a.certificate_id = c.id WHERE a.domain = ? AND a.local_part = ?")
                .params(address.domain(), address.localPart())
                .query((rs, n) -> new Candidate(row(rs, n), Certificates.AddressSource.valueOf(rs.getString("source"))))
                .list();
        // read after the rows: they are judged as they stand at this instant
        Instant now = clock.instant();
        Optional<StoredCertificate> chosen = best(ofAddress, query.purpose(), query.includeUntrusted(), now);
        List<Candidate> considered = ofAddress;
        if (chosen.isEmpty()) {
            List<Candidate> ofDomain = jdbc.sql("SELECT " + COLUMNS + " FROM certificate c WHERE domain_certificate_for = ?")
                    .param(address.domain())
                    .query((rs, n) -> new Candidate(row(rs, n), Certificates.AddressSource.SAN))
                    .list();
            chosen = best(ofDomain, query.purpose(), query.includeUntrusted(), now);
            considered = new ArrayList<>(ofAddress);
            considered.addAll(ofDomain);
        }
        return new UsableAnswer(chosen.map(this::withAddresses).orElse(null), nextChange(considered, now));
    }

    /** The first instant after {@code now} at which a candidate becomes valid, expires or is revoked. */
    private static Instant nextChange(List<Candidate> candidates, Instant now) {
        Instant next = Instant.MAX;
        for (Candidate candidate : candidates) {
            StoredCertificate c = candidate.certificate();
            for (Instant moment : new Instant[] {c.notBefore(), c.notAfter(), c.revokedAt()}) {
                if (moment != null && moment.isAfter(now) && moment.isBefore(next)) {
                    next = moment;
                }
            }
        }
        return next;
    }

    private record Candidate(StoredCertificate certificate, Certificates.AddressSource source) {
    }

    private static Optional<StoredCertificate> best(List<Candidate> candidates, KeyPurpose purpose,
                                                    boolean includeUntrusted, Instant now) {
        return candidates.stream()
                .filter(c -> c.certificate().isUsableFor(purpose, now))
                .filter(c -> includeUntrusted || c.certificate().trustStatus() == TrustStatus.TRUSTED)
                .min(Comparator.<Candidate, Boolean>comparing(c -> c.certificate().trustStatus() != TrustStatus.TRUSTED)
                        .thenComparing(c -> c.source() != Certificates.AddressSource.SAN)
                        .thenComparing(c -> c.certificate().notBefore(), Comparator.reverseOrder())
                        .thenComparing(c -> c.certificate().id(), Comparator.reverseOrder()))
                .map(Candidate::certificate);
    }

    /** The own certificate and key to sign for the address, with its chain; from the read cache (ADR 0212). */
    public Optional<OwnKey> signingKey(String address) {
        return findUsableCached(address, KeyPurpose.SIGNING, false).map(this::ownKey);
    }

    /**
     * The decrypted private key of an own certificate, with its chain. Throws when the row has no key
     * or the key does not decrypt under the master key (wrong master key, or a key moved between rows).
     */
    public OwnKey ownKey(StoredCertificate stored) {
        OwnKey cached = ownKeys.get(new KeyQuery(stored.id(), stored.fingerprint()), query -> loadOwnKey(stored));
        return cached.stored() == stored ? cached : new OwnKey(stored, cached.privateKey(), cached.chain());
    }

    private OwnKey loadOwnKey(StoredCertificate stored) {
        byte[] sealed = jdbc.sql("SELECT private_key FROM certificate WHERE id = ?").param(stored.id())
                .query((rs, n) -> rs.getBytes(1)).optional()
                .orElseThrow(() -> new IllegalStateException("certificate " + stored.id() + " is no longer in the store"));
        if (sealed == null) {
            throw new IllegalStateException("the store holds no private key for certificate " + stored.fingerprint()
                    + " (" + stored.subject() + "): import it as PKCS#12 with its key");
        }
        PrivateKey key = cipher.open(sealed, stored.fingerprint(), stored.keyAlgorithm());
        return new OwnKey(stored, key, chain(stored.certificate()));
    }

    /**
     * The chain above a certificate from stored CA certificates and anchors, nearest issuer first,
     * each link checked by signature; stops where no stored issuer verifies.
     */
    public List<X509Certificate> chain(X509Certificate certificate) {
        List<X509Certificate> chain = new ArrayList<>();
        X509Certificate current = certificate;
        for (int depth = 0; depth < 10 && !Certificates.isSelfIssued(current); depth++) {
            X509Certificate child = current;
            Optional<X509Certificate> issuer = jdbc.sql("SELECT der FROM certificate WHERE subject_canonical = ? "
                            + "AND kind IN ('ANCHOR', 'INTERMEDIATE', 'OWN')")
                    .param(Certificates.canonical(child.getIssuerX500Principal()))
                    .query((rs, n) -> parse(rs.getBytes(1))).list().stream()
                    .filter(candidate -> verifies(child, candidate))
                    .findFirst();
            if (issuer.isEmpty()) {
                break;
            }
            chain.add(issuer.get());
            current = issuer.get();
        }
        return chain;
    }

    private static boolean verifies(X509Certificate child, X509Certificate issuer) {
        try {
            child.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * The certification path from a certificate up to a trust anchor of the store, built by the
     * platform's PKIX path builder over the stored CA certificates and judged now (revocation
     * aside: the store's revocation marks are the caller's to show). When no path is found, the
     * certificates the store can link by signature, and why.
     */
    public TrustPath trustPath(X509Certificate certificate) {
        List<X509Certificate> anchors = trustAnchors();
        if (anchors.contains(certificate)) {
            return new TrustPath(List.of(certificate), true, null);
        }
        List<X509Certificate> linked = new ArrayList<>(List.of(certificate));
        linked.addAll(chain(certificate));
        if (anchors.isEmpty()) {
            return new TrustPath(linked, false, new TrustPath.Problem("chain.no-trust-anchors",
                    "the store holds no trust anchor: import the root CA as ANCHOR", Map.of()));
        }
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(certificate);
            Set<TrustAnchor> trusted = new HashSet<>();
            anchors.forEach(a -> trusted.add(new TrustAnchor(a, null)));
            PKIXBuilderParameters params = new PKIXBuilderParameters(trusted, target);
            List<Object> pool = new ArrayList<>(intermediates());
            pool.add(certificate);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(clock.instant()));
            PKIXCertPathBuilderResult built = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
            List<X509Certificate> path = new ArrayList<>();
            built.getCertPath().getCertificates().forEach(c -> path.add((X509Certificate) c));
            path.add(built.getTrustAnchor().getTrustedCert());
            return new TrustPath(path, true, null);
        } catch (CertPathBuilderException e) {
            return new TrustPath(linked, false, whyNoPath(linked, anchors));
        } catch (GeneralSecurityException e) {
            return new TrustPath(linked, false, new TrustPath.Problem("chain.cannot-build", "the path cannot be built: " + e.getMessage(),
                    Map.of()));
        }
    }

    private TrustPath.Problem whyNoPath(List<X509Certificate> linked, List<X509Certificate> anchors) {
        Instant now = clock.instant();
        for (X509Certificate c : linked) {
            if (now.isAfter(c.getNotAfter().toInstant()) || now.isBefore(c.getNotBefore().toInstant())) {
                String subject = Certificates.readable(c.getSubjectX500Principal());
                return new TrustPath.Problem("chain.not-valid-now", "the certificate " + subject + " of the chain is not valid now"
                        + " (valid " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant() + ")",
                        Map.of("subject", subject, "notBefore", c.getNotBefore().toInstant().toString(),
                                "notAfter", c.getNotAfter().toInstant().toString()));
            }
        }
        X509Certificate top = linked.get(linked.size() - 1);
        if (Certificates.isSelfIssued(top) && !anchors.contains(top)) {
            String subject = Certificates.readable(top.getSubjectX500Principal());
            return new TrustPath.Problem("chain.root-not-trusted", "the chain ends at the root " + subject
                    + ", which is not a trust anchor: import it as ANCHOR if it is trusted", Map.of("subject", subject));
        }
        String issuer = Certificates.readable(top.getIssuerX500Principal());
        return new TrustPath.Problem("chain.issuer-missing", "no stored CA certificate issued " + issuer
                + ": import the issuing CA (as ANCHOR if it is a trusted root)", Map.of("issuer", issuer));
    }

    /** Certificates imported as trust anchors (admin API or {@code sealgate.trust-anchors}). */
    public List<X509Certificate> trustAnchors() {
        return jdbc.sql("SELECT der FROM certificate WHERE kind = 'ANCHOR' ORDER BY id")
                .query((rs, n) -> parse(rs.getBytes(1))).list();
    }

    /** CA certificates met in chains, to help path building. */
    public List<X509Certificate> intermediates() {
        return jdbc.sql("SELECT der FROM certificate WHERE kind = 'INTERMEDIATE' ORDER BY id")
                .query((rs, n) -> parse(rs.getBytes(1))).list();
    }

    public List<StoredCertificate> search(CertificateQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM certificate c WHERE 1 = 1");
        Map<String, Object> params = new TreeMap<>();
        if (query.kind() != null) {
            sql.append(" AND kind = :kind");
            params.put("kind", query.kind().name());
        }
        if (query.address() != null) {
            MailAddress address = MailAddress.parse(query.address());
            sql.append(" AND EXISTS (SELECT 1 FROM certificate_address a WHERE a.certificate_id = c.id "
                    + "AND a.domain = :domain AND a.local_part = :local)");
            params.put("domain", address.domain());
            params.put("local", address.localPart());
        }
        if (query.text() != null && !query.text().isBlank()) {
            sql.append(" AND (LOWER(subject) LIKE :text OR LOWER(issuer) LIKE :text OR fingerprint LIKE :text "
                    + "OR EXISTS (SELECT 1 FROM certificate_address a WHERE a.certificate_id = c.id "
                    + "AND LOWER(a.local_part || '@' || a.domain) LIKE :text))");
            params.put("text", "%" + query.text().toLowerCase(Locale.ROOT).replace("%", "").replace("_", "") + "%");
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
        params.put("limit", query.limit());
        return jdbc.sql(sql.toString()).params(params).query(this::row).list().stream().map(this::withAddresses).toList();
    }

    /** Own certificates with a private key that expire before the instant and are not revoked: renewal candidates. */
    public List<StoredCertificate> ownExpiringBefore(Instant instant) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM certificate c WHERE kind = 'OWN' AND private_key IS NOT NULL "
                        + "AND revoked_at IS NULL AND not_after < ? ORDER BY not_after")
                .param(utc(instant))
                .query(this::row).list().stream().map(this::withAddresses).toList();
    }

    // ---- changes ------------------------------------------------------------------------------

    public boolean delete(long id) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            boolean deleted = jdbc.sql("DELETE FROM certificate WHERE id = ?").param(id).update() > 0;
            if (deleted) {
                changed();
            }
            return deleted;
        }));
    }

    public void markRevoked(long id, Instant revokedAt) {
        transactions.executeWithoutResult(status -> {
            if (jdbc.sql("UPDATE certificate SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                    .params(utc(revokedAt), id).update() > 0) {
                changed();
            }
        });
    }

    /**
     * Makes the certificate the domain certificate of a domain (used for every address of the domain
     * that has no certificate of its own), or with null, ends that role.
     */
    public void setDomainCertificate(long id, String domain) {
        String normalized = domain == null || domain.isBlank() ? null : domain.trim().toLowerCase(Locale.ROOT);
        int updated = transactions.execute(status -> {
            int rows = jdbc.sql("UPDATE certificate SET domain_certificate_for = ? WHERE id = ?").params(normalized, id).update();
            if (rows > 0) {
                changed();
            }
            return rows;
        });
        if (updated == 0) {
            throw new IllegalArgumentException("no certificate with id " + id);
        }
    }

    /**
     * Stores a CRL. When a certificate of its issuer is in the store, the CRL must verify against
     * one of them (else it is refused) and the stored certificates it lists are marked revoked. When
     * no certificate of its issuer is stored, the CRL is held unverified: it revokes nothing and is
     * never returned by {@link #latestCrl} until a certificate of its issuer arrives and verifies it.
     *
     * @return whether the CRL was verified now, or is held unverified
     * @throws IllegalArgumentException when the stored certificates of its issuer do not verify it
     */
    public CrlImport importCrl(X509CRL crl) {
        String issuerCanonical = Certificates.canonical(crl.getIssuerX500Principal());
        List<X509Certificate> issuers = crlIssuers(issuerCanonical);
        boolean verified = issuers.stream().anyMatch(issuer -> crlVerifies(crl, issuer));
        if (!issuers.isEmpty() && !verified) {
            throw new IllegalArgumentException("the CRL of " + crl.getIssuerX500Principal().getName()
                    + " is not signed by the stored certificate of that issuer: it is forged, damaged or of another CA "
                    + "with the same name");
        }
        byte[] der;
        try {
            der = crl.getEncoded();
        } catch (java.security.cert.CRLException e) {
            throw new IllegalArgumentException("not a CRL: cannot encode it (" + e.getMessage() + ")", e);
        }
        String fingerprint = Certificates.sha256Hex(der);
        transactions.executeWithoutResult(status -> {
            boolean known = jdbc.sql("SELECT COUNT(*) FROM certificate_crl WHERE fingerprint = ?").param(fingerprint)
                    .query(Long.class).single() > 0;
            if (!known) {
                jdbc.sql("INSERT INTO certificate_crl (fingerprint, issuer, issuer_canonical, this_update, next_update, der, "
                                + "imported_at, verified) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                        .params(fingerprint, Certificates.readable(crl.getIssuerX500Principal()), issuerCanonical,
                                utc(crl.getThisUpdate().toInstant()),
                                crl.getNextUpdate() == null ? null : utc(crl.getNextUpdate().toInstant()), der, now(), verified)
                        .update();
            } else if (verified) {
                jdbc.sql("UPDATE certificate_crl SET verified = TRUE WHERE fingerprint = ?").param(fingerprint).update();
            }
            if (verified) {
                markListedRevoked(crl, issuerCanonical);
            }
        });
        if (!verified) {
            log.warn("Holding the CRL of {} unverified: no certificate of that issuer is in the store; it is used once "
                    + "the issuer's certificate is imported and verifies it", crl.getIssuerX500Principal().getName());
        }
        return verified ? CrlImport.VERIFIED : CrlImport.HELD_UNVERIFIED;
    }

    /** What became of an imported CRL. */
    public enum CrlImport {
        /** Verified against a stored certificate of its issuer, and in use. */
        VERIFIED,
        /** Its issuer is not in the store: kept, not used, until a certificate of the issuer arrives and verifies it. */
        HELD_UNVERIFIED
    }

    /** Stored certificates that may sign CRLs of the issuer name: CA certificates (or any with the cRLSign usage). */
    private List<X509Certificate> crlIssuers(String issuerCanonical) {
        return jdbc.sql("SELECT der FROM certificate WHERE subject_canonical = ?")
                .param(issuerCanonical)
                .query((rs, n) -> parse(rs.getBytes(1))).list().stream()
                .filter(CertificateStore::maySignCrls)
                .toList();
    }

    private static boolean maySignCrls(X509Certificate certificate) {
        boolean[] usage = certificate.getKeyUsage();
        return usage != null ? usage.length > 6 && usage[6] : certificate.getBasicConstraints() >= 0;
    }

    private void markListedRevoked(X509CRL crl, String issuerCanonical) {
        jdbc.sql("SELECT id, serial FROM certificate WHERE issuer_canonical = ? AND revoked_at IS NULL")
                .param(issuerCanonical)
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)}).list()
                .forEach(row -> {
                    X509CRLEntry entry = crl.getRevokedCertificate(new BigInteger((String) row[1], 16));
                    if (entry != null) {
                        markRevoked((Long) row[0], entry.getRevocationDate().toInstant());
                    }
                });
    }

    /**
     * Verifies the CRLs held unverified for the subject of a CA certificate that just arrived; those
     * it verifies are used from now on (and revoke the stored certificates they list), the others
     * stay held.
     */
    private void verifyHeldCrls(X509Certificate issuer) {
        if (!maySignCrls(issuer)) {
            return;
        }
        String subject = Certificates.canonical(issuer.getSubjectX500Principal());
        jdbc.sql("SELECT id, der FROM certificate_crl WHERE issuer_canonical = ? AND verified = FALSE")
                .param(subject)
                .query((rs, n) -> Map.entry(rs.getLong(1), Crls.parse(rs.getBytes(2)))).list()
                .stream().filter(held -> crlVerifies(held.getValue(), issuer))
                .forEach(held -> {
                    jdbc.sql("UPDATE certificate_crl SET verified = TRUE WHERE id = ?").param(held.getKey()).update();
                    markListedRevoked(held.getValue(), subject);
                    log.info("Verified the held CRL of {} with the newly stored issuer certificate: now in use",
                            issuer.getSubjectX500Principal().getName());
                });
    }

    private static boolean crlVerifies(X509CRL crl, X509Certificate issuer) {
        try {
            crl.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * The newest verified CRL of the issuer. A CRL held unverified is checked here against the
     * issuer's stored certificates first (CRLs stored before verification was recorded).
     */
    public Optional<X509CRL> latestCrl(X500Principal issuer) {
        String canonical = Certificates.canonical(issuer);
        List<StoredCrl> rows = jdbc.sql("SELECT id, der, verified FROM certificate_crl WHERE issuer_canonical = ? "
                        + "ORDER BY this_update DESC, id DESC")
                .param(canonical)
                .query((rs, n) -> new StoredCrl(rs.getLong(1), Crls.parse(rs.getBytes(2)), rs.getBoolean(3)))
                .list();
        List<X509Certificate> issuers = null;
        for (StoredCrl row : rows) {
            if (row.verified()) {
                return Optional.of(row.crl());
            }
            if (issuers == null) {
                issuers = crlIssuers(canonical);
            }
            if (issuers.stream().anyMatch(candidate -> crlVerifies(row.crl(), candidate))) {
                jdbc.sql("UPDATE certificate_crl SET verified = TRUE WHERE id = ?").param(row.id()).update();
                return Optional.of(row.crl());
            }
        }
        return Optional.empty();
    }

    private record StoredCrl(long id, X509CRL crl, boolean verified) {
    }

    private void applyStoredCrls(long id, X509Certificate certificate) {
        latestCrl(certificate.getIssuerX500Principal()).ifPresent(crl -> {
            X509CRLEntry entry = crl.getRevokedCertificate(certificate.getSerialNumber());
            if (entry != null) {
                markRevoked(id, entry.getRevocationDate().toInstant());
            }
        });
    }

    // ---- mapping ------------------------------------------------------------------------------

    private StoredCertificate row(ResultSet rs, int rowNumber) throws SQLException {
        byte[] capabilities = rs.getBytes("smime_capabilities");
        return new StoredCertificate(
                rs.getLong("id"),
                CertificateKind.valueOf(rs.getString("kind")),
                TrustStatus.valueOf(rs.getString("trust_status")),
                rs.getString("fingerprint"),
                rs.getString("subject"),
                rs.getString("issuer"),
                rs.getString("serial"),
                rs.getString("subject_key_id"),
                instant(rs, "not_before"),
                instant(rs, "not_after"),
                rs.getBoolean("can_sign"),
                rs.getBoolean("can_encrypt"),
                rs.getString("key_algorithm"),
                instant(rs, "revoked_at"),
                rs.getString("domain_certificate_for"),
                rs.getBoolean("has_private_key"),
                capabilities == null ? SmimeCapabilities.none() : SmimeCapabilities.decode(capabilities),
                instant(rs, "capabilities_at"),
                List.of(),
                instant(rs, "created_at"),
                parse(rs.getBytes("der")),
                new CertificateOrigin(CertificateOrigin.Source.valueOf(rs.getString("origin")), rs.getString("origin_detail")));
    }

    private StoredCertificate withAddresses(StoredCertificate c) {
        List<String> addresses = jdbc.sql("SELECT local_part, domain FROM certificate_address WHERE certificate_id = ? "
                        + "ORDER BY CASE source WHEN 'SAN' THEN 0 ELSE 1 END, local_part, domain")
                .param(c.id())
                .query((rs, n) -> rs.getString(1) + "@" + rs.getString(2)).list();
        return new StoredCertificate(c.id(), c.kind(), c.trustStatus(), c.fingerprint(), c.subject(), c.issuer(),
                c.serial(), c.subjectKeyId(), c.notBefore(), c.notAfter(), c.canSign(), c.canEncrypt(),
                c.keyAlgorithm(), c.revokedAt(), c.domainCertificateFor(), c.hasPrivateKey(), c.capabilities(),
                c.capabilitiesAt(), addresses, c.createdAt(), c.certificate(), c.origin());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private OffsetDateTime now() {
        return utc(clock.instant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }
}
