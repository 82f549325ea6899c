package dev.sealgate.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealgate.certprovider.testkit.MutableClock;
import dev.sealgate.cluster.CacheGenerations;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** What the key and certificate store must do; run on H2 and on PostgreSQL. */
public interface CertificateStoreContract {

    DataSource dataSource();

    TestPki PKI = TestPki.create("Contract CA");

    private CertificateStore store() {
        return new CertificateStore(dataSource(), new PrivateKeyCipher(masterKey()), Clock.systemUTC());
    }

    MasterKey masterKey();

    private static String unique(String local, String domain) {
        return local + "." + Long.toHexString(System.nanoTime()) + "@" + domain;
    }

    @Test
    default void shouldFindCertificateByAddressWithLocalPartExactAndDomainCaseInsensitive() {
        String address = unique("Alice", "Example.ORG");
        StoredCertificate stored = store().add(PKI.issue(address).certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);

        String local = address.substring(0, address.indexOf('@'));
        assertThat(store().findByAddress(local + "@example.org")).extracting(StoredCertificate::id).containsExactly(stored.id());
        assertThat(store().findByAddress(local + "@EXAMPLE.org")).extracting(StoredCertificate::id).containsExactly(stored.id());
        assertThat(store().findByAddress(local.toLowerCase() + "@example.org")).isEmpty();
        assertThat(stored.addresses()).containsExactly(local + "@example.org");
    }

    @Test
    default void shouldFindAddressFromSubjectEmailWhenThereIsNoSan() {
        String address = unique("bob", "partner.example");
        StoredCertificate stored = store().add(PKI.builder(address).subjectEmailOnly().issue().certificate(),
                CertificateKind.PARTNER, TrustStatus.TRUSTED);

        assertThat(store().findUsable(address, KeyPurpose.ENCRYPTION, false)).map(StoredCertificate::id).contains(stored.id());
    }

    @Test
    default void shouldChooseNewestUsableCertificateSkippingExpiredRevokedAndWrongKeyUsage() {
        String address = unique("carol", "partner.example");
        Instant now = Instant.now();
        StoredCertificate older = store().add(PKI.builder(address).validity(now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(300)))
                .issue().certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);
        StoredCertificate newerSigningOnly = store().add(PKI.builder(address).keyUsage(KeyUsage.digitalSignature)
                .validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(300))).issue().certificate(),
                CertificateKind.PARTNER, TrustStatus.TRUSTED);
        store().add(PKI.builder(address).validity(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(2)))
                .issue().certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);
        StoredCertificate newestRevoked = store().add(PKI.builder(address).validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(300)))
                .issue().certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);
        store().markRevoked(newestRevoked.id(), now.minusSeconds(5));

        assertThat(store().findUsable(address, KeyPurpose.ENCRYPTION, false)).map(StoredCertificate::id).contains(older.id());
        assertThat(newerSigningOnly.canEncrypt()).isFalse();
        assertThat(newerSigningOnly.canSign()).isTrue();
        assertThat(store().findByAddress(address)).hasSize(4);
    }

    @Test
    default void shouldUseUntrustedHarvestedCertificateOnlyWhenAskedTo() {
        String address = unique("dave", "partner.example");
        TestPki.Issued issued = PKI.issue(address);
        byte[] capabilities = SmimeCapabilities.of(SmimeCapabilities.AES256_GCM, SmimeCapabilities.RSAES_OAEP).encode();

        StoredCertificate harvested = store().harvest(issued.certificate(), List.of(issued.certificate(), PKI.caCertificate()),
                TrustStatus.UNTRUSTED, capabilities);

        assertThat(harvested.kind()).isEqualTo(CertificateKind.PARTNER);
        assertThat(harvested.trustStatus()).isEqualTo(TrustStatus.UNTRUSTED);
        assertThat(harvested.capabilities().algorithms())
                .containsExactly(SmimeCapabilities.AES256_GCM, SmimeCapabilities.RSAES_OAEP);
        assertThat(harvested.capabilitiesAt()).isNotNull();
        assertThat(store().findUsable(address, KeyPurpose.ENCRYPTION, false)).isEmpty();
        assertThat(store().findUsable(address, KeyPurpose.ENCRYPTION, true)).map(StoredCertificate::id).contains(harvested.id());
        assertThat(store().findByFingerprint(Certificates.fingerprint(PKI.caCertificate())))
                .map(StoredCertificate::kind).contains(CertificateKind.INTERMEDIATE);
    }

    @Test
    default void shouldUpdateCapabilitiesAndPromoteTrustWhenHarvestedAgain() {
        String address = unique("erin", "partner.example");
        X509Certificate certificate = PKI.issue(address).certificate();
        store().harvest(certificate, List.of(), TrustStatus.UNTRUSTED, SmimeCapabilities.of(SmimeCapabilities.AES256_CBC).encode());

        StoredCertificate again = store().harvest(certificate, List.of(), TrustStatus.TRUSTED,
                SmimeCapabilities.of(SmimeCapabilities.AES256_GCM).encode());
        StoredCertificate demoted = store().harvest(certificate, List.of(), TrustStatus.UNTRUSTED, null);

        assertThat(again.trustStatus()).isEqualTo(TrustStatus.TRUSTED);
        assertThat(again.capabilities().algorithms()).containsExactly(SmimeCapabilities.AES256_GCM);
        assertThat(demoted.trustStatus()).isEqualTo(TrustStatus.TRUSTED);
        assertThat(demoted.capabilities().algorithms()).containsExactly(SmimeCapabilities.AES256_GCM);
    }

    @Test
    default void shouldPromoteButNeverDemoteWhenTheSameCertificateComesAgain() {
        TestPki other = TestPki.create("Promoted CA " + System.nanoTime());
        StoredCertificate harvested = store().harvest(PKI.issue(unique("oscar", "partner.example")).certificate(),
                List.of(other.caCertificate()), TrustStatus.UNTRUSTED, null);
        StoredCertificate ca = store().findByFingerprint(Certificates.fingerprint(other.caCertificate())).orElseThrow();

        StoredCertificate anchor = store().add(other.caCertificate(), CertificateKind.ANCHOR, TrustStatus.TRUSTED);
        StoredCertificate again = store().add(other.caCertificate(), CertificateKind.INTERMEDIATE, TrustStatus.UNTRUSTED);

        assertThat(ca.kind()).isEqualTo(CertificateKind.INTERMEDIATE);
        assertThat(ca.trustStatus()).isEqualTo(TrustStatus.UNTRUSTED);
        assertThat(anchor.kind()).isEqualTo(CertificateKind.ANCHOR);
        assertThat(anchor.trustStatus()).isEqualTo(TrustStatus.TRUSTED);
        assertThat(again.kind()).isEqualTo(CertificateKind.ANCHOR);
        assertThat(again.trustStatus()).isEqualTo(TrustStatus.TRUSTED);
        assertThat(store().trustAnchors()).contains(other.caCertificate());
        assertThat(harvested.kind()).isEqualTo(CertificateKind.PARTNER);
    }

    @Test
    default void shouldKeepHarvestedCertificateAndEarlierCapabilitiesWhenNewOnesAreMalformed() {
        String address = unique("pat", "partner.example");
        X509Certificate certificate = PKI.issue(address).certificate();
        store().harvest(certificate, List.of(), TrustStatus.TRUSTED, SmimeCapabilities.of(SmimeCapabilities.AES256_GCM).encode());

        StoredCertificate again = store().harvest(certificate, List.of(), TrustStatus.TRUSTED, new byte[] {0x30, 0x03, 0x01});

        assertThat(again.capabilities().algorithms()).containsExactly(SmimeCapabilities.AES256_GCM);
        assertThat(store().findUsable(address, KeyPurpose.ENCRYPTION, false)).isPresent();
    }

    @Test
    default void shouldFallBackToDomainCertificateWhenAddressHasNone() {
        String domain = "d" + Long.toHexString(System.nanoTime()) + ".example";
        StoredCertificate gateway = store().add(PKI.issue("gateway@" + domain).certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);
        store().setDomainCertificate(gateway.id(), domain.toUpperCase());
        StoredCertificate own = store().add(PKI.issue("frank@" + domain).certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);

        assertThat(store().findUsable("someone@" + domain, KeyPurpose.ENCRYPTION, false)).map(StoredCertificate::id).contains(gateway.id());
        assertThat(store().findUsable("frank@" + domain, KeyPurpose.ENCRYPTION, false)).map(StoredCertificate::id).contains(own.id());
        assertThat(store().get(gateway.id()).orElseThrow().domainCertificateFor()).isEqualTo(domain);
    }

    @Test
    default void shouldKeepPrivateKeyEncryptedAndGiveItBackForSigning() {
        String address = unique("grace", "own.example");
        TestPki.Issued issued = PKI.issue(address);
        store().add(PKI.caCertificate(), CertificateKind.ANCHOR, TrustStatus.TRUSTED);

        StoredCertificate stored = store().addOwn(issued.certificate(), issued.keys().getPrivate());
        OwnKey own = store().signingKey(address).orElseThrow();

        assertThat(stored.hasPrivateKey()).isTrue();
        assertThat(own.privateKey().getEncoded()).isEqualTo(issued.keys().getPrivate().getEncoded());
        assertThat(own.chain()).containsExactly(PKI.caCertificate());
        assertThat(own.toString()).doesNotContain(HexFormat.of().formatHex(issued.keys().getPrivate().getEncoded()).substring(0, 40));
        byte[] column = JdbcClient.create(dataSource()).sql("SELECT private_key FROM certificate WHERE id = ?")
                .param(stored.id()).query((rs, n) -> rs.getBytes(1)).single();
        assertThat(HexFormat.of().formatHex(column))
                .doesNotContain(HexFormat.of().formatHex(issued.keys().getPrivate().getEncoded()).substring(100, 160));
    }

    @Test
    default void shouldRefuseKeySwappedToAnotherRow() {
        TestPki.Issued first = PKI.issue(unique("heidi", "own.example"));
        TestPki.Issued second = PKI.issue(unique("ivan", "own.example"));
        StoredCertificate a = store().addOwn(first.certificate(), first.keys().getPrivate());
        StoredCertificate b = store().addOwn(second.certificate(), second.keys().getPrivate());
        JdbcClient jdbc = JdbcClient.create(dataSource());
        byte[] keyOfA = jdbc.sql("SELECT private_key FROM certificate WHERE id = ?").param(a.id()).query((rs, n) -> rs.getBytes(1)).single();
        jdbc.sql("UPDATE certificate SET private_key = ? WHERE id = ?").params(keyOfA, b.id()).update();

        assertThatThrownBy(() -> store().ownKey(store().get(b.id()).orElseThrow()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not decrypt under the configured master key");
    }

    @Test
    default void shouldFindByIssuerAndSerialAndBySubjectKeyIdentifier() {
        TestPki.Issued issued = PKI.issue(unique("judy", "own.example"));
        StoredCertificate stored = store().addOwn(issued.certificate(), issued.keys().getPrivate());

        assertThat(store().findByIssuerAndSerial(issued.certificate().getIssuerX500Principal(), issued.certificate().getSerialNumber()))
                .map(StoredCertificate::id).contains(stored.id());
        byte[] ski = HexFormat.of().parseHex(stored.subjectKeyId());
        assertThat(store().findBySubjectKeyIdentifier(ski)).map(StoredCertificate::id).contains(stored.id());
    }

    @Test
    default void shouldMarkListedCertificatesRevokedWhenCrlIsImported() {
        String address = unique("ken", "partner.example");
        TestPki pki = TestPki.create("CRL CA " + address);
        store().add(pki.caCertificate(), CertificateKind.ANCHOR, TrustStatus.TRUSTED);
        StoredCertificate listed = store().add(pki.issue(address).certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);
        X509Certificate later = pki.issue(address).certificate();

        assertThat(store().importCrl(pki.crl(listed.certificate(), later))).isEqualTo(CertificateStore.CrlImport.VERIFIED);
        StoredCertificate laterStored = store().add(later, CertificateKind.PARTNER, TrustStatus.TRUSTED);

        assertThat(store().get(listed.id()).orElseThrow().revokedAt()).isNotNull();
        assertThat(laterStored.revokedAt()).isNotNull();
        assertThat(store().findUsable(address, KeyPurpose.ENCRYPTION, true)).isEmpty();
        assertThat(store().latestCrl(pki.caCertificate().getSubjectX500Principal())).isPresent();
    }

    @Test
    default void shouldHoldTheCrlOfAnIssuerNotInTheStoreUnverifiedAndRevokeNothingUntilTheIssuerArrives() {
        String address = unique("lena", "partner.example");
        TestPki pki = TestPki.create("Absent CA " + address);
        StoredCertificate listed = store().add(pki.issue(address).certificate(), CertificateKind.PARTNER, TrustStatus.UNTRUSTED);

        assertThat(store().importCrl(pki.crl(listed.certificate()))).isEqualTo(CertificateStore.CrlImport.HELD_UNVERIFIED);

        assertThat(store().get(listed.id()).orElseThrow().revokedAt()).isNull();
        assertThat(store().latestCrl(pki.caCertificate().getSubjectX500Principal())).isEmpty();

        store().add(pki.caCertificate(), CertificateKind.ANCHOR, TrustStatus.TRUSTED);

        assertThat(store().latestCrl(pki.caCertificate().getSubjectX500Principal())).isPresent();
        assertThat(store().get(listed.id()).orElseThrow().revokedAt()).isNotNull();
    }

    @Test
    default void shouldNeverUseAHeldCrlThatTheArrivingIssuerDoesNotVerify() {
        String address = unique("mona", "partner.example");
        TestPki pki = TestPki.create("Real CA " + address);
        TestPki impostor = TestPki.createWithSameName(pki);
        StoredCertificate victim = store().add(pki.issue(address).certificate(), CertificateKind.PARTNER, TrustStatus.UNTRUSTED);

        assertThat(store().importCrl(impostor.crl(victim.certificate()))).isEqualTo(CertificateStore.CrlImport.HELD_UNVERIFIED);
        store().add(pki.caCertificate(), CertificateKind.ANCHOR, TrustStatus.TRUSTED);

        assertThat(store().latestCrl(pki.caCertificate().getSubjectX500Principal())).isEmpty();
        assertThat(store().get(victim.id()).orElseThrow().revokedAt()).isNull();
    }

    @Test
    default void shouldVerifyACrlStoredBeforeVerificationWasRecordedWhenItIsFirstLookedUp() {
        String address = unique("nora", "partner.example");
        TestPki pki = TestPki.create("Migrated CA " + address);
        store().add(pki.caCertificate(), CertificateKind.ANCHOR, TrustStatus.TRUSTED);
        assertThat(store().importCrl(pki.crl())).isEqualTo(CertificateStore.CrlImport.VERIFIED);
        JdbcClient.create(dataSource()).sql("UPDATE certificate_crl SET verified = FALSE WHERE issuer = ?")
                .param(Certificates.readable(pki.caCertificate().getSubjectX500Principal())).update();

        assertThat(store().latestCrl(pki.caCertificate().getSubjectX500Principal())).isPresent();
        assertThat(JdbcClient.create(dataSource()).sql("SELECT verified FROM certificate_crl WHERE issuer = ?")
                .param(Certificates.readable(pki.caCertificate().getSubjectX500Principal())).query(Boolean.class).single()).isTrue();
    }

    @Test
    default void shouldRefuseCrlNotSignedByStoredIssuer() {
        TestPki real = TestPki.create("Real CA " + System.nanoTime());
        store().add(real.caCertificate(), CertificateKind.ANCHOR, TrustStatus.TRUSTED);
        TestPki impostor = TestPki.createWithSameName(real);

        assertThatThrownBy(() -> store().importCrl(impostor.crl()))
                .hasMessageContaining("is not signed by the stored certificate of that issuer");
    }

    @Test
    default void shouldImportPkcs12AsOwnWithChainAsIntermediateAndDeleteAgain() {
        String address = unique("leo", "own.example");
        TestPki.Issued issued = PKI.issue(address);
        char[] password = "p12-secret".toCharArray();

        List<StoredCertificate> imported = store().importBundle(CertificateParser.parse(issued.pkcs12(password), password),
                CertificateKind.PARTNER);

        assertThat(imported).extracting(StoredCertificate::kind).containsExactly(CertificateKind.OWN, CertificateKind.INTERMEDIATE);
        assertThat(store().signingKey(address)).isPresent();
        assertThat(store().search(new CertificateQuery(address.substring(0, 12), null, CertificateKind.OWN, 10)))
                .extracting(StoredCertificate::id).containsExactly(imported.get(0).id());
        assertThat(store().delete(imported.get(0).id())).isTrue();
        assertThat(store().findByAddress(address)).isEmpty();
    }

    @Test
    default void shouldListOwnCertificatesDueForRenewal() {
        String address = unique("mallory", "own.example");
        Instant now = Instant.now();
        TestPki.Issued soon = PKI.builder(address).validity(now.minus(Duration.ofDays(300)), now.plus(Duration.ofDays(5))).issue();
        TestPki.Issued later = PKI.builder(address).validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(300))).issue();
        StoredCertificate due = store().addOwn(soon.certificate(), soon.keys().getPrivate());
        store().addOwn(later.certificate(), later.keys().getPrivate());

        assertThat(store().ownExpiringBefore(now.plus(Duration.ofDays(14))))
                .extracting(StoredCertificate::id).contains(due.id());
        assertThat(store().ownExpiringBefore(now.plus(Duration.ofDays(14))))
                .extracting(StoredCertificate::fingerprint).doesNotContain(Certificates.fingerprint(later.certificate()));
    }

    @Test
    default void shouldRecordWhereACertificateCameFromAndKeepTheFirstOrigin() {
        X509Certificate harvestedOne = PKI.issue(unique("origin-h", "partner.example")).certificate();
        X509Certificate unknownOne = PKI.issue(unique("origin-u", "partner.example")).certificate();

        StoredCertificate harvested = store().harvest(harvestedOne, List.of(), TrustStatus.TRUSTED, null,
                CertificateOrigin.harvested("p@partner.example", "Q-origin-1"));
        StoredCertificate importedLater = store().add(harvestedOne, CertificateKind.PARTNER, TrustStatus.TRUSTED,
                CertificateOrigin.imported("admin (password)"));
        StoredCertificate unknown = store().add(unknownOne, CertificateKind.PARTNER, TrustStatus.TRUSTED);
        StoredCertificate learned = store().add(unknownOne, CertificateKind.PARTNER, TrustStatus.TRUSTED,
                CertificateOrigin.imported("admin (password)"));

        assertThat(harvested.origin().source()).isEqualTo(CertificateOrigin.Source.HARVESTED);
        assertThat(harvested.origin().detail()).contains("p@partner.example").contains("Q-origin-1");
        assertThat(importedLater.origin()).isEqualTo(harvested.origin());
        assertThat(unknown.origin()).isEqualTo(CertificateOrigin.UNKNOWN);
        assertThat(learned.origin()).isEqualTo(CertificateOrigin.imported("admin (password)"));
    }

    @Test
    default void shouldRecordTheImportOfABundleWithItsChain() {
        TestPki.Issued issued = PKI.issue(unique("origin-p12", "own.example"));
        char[] password = "p12".toCharArray();

        List<StoredCertificate> imported = store().importBundle(CertificateParser.parse(issued.pkcs12(password), password),
                CertificateKind.PARTNER, CertificateOrigin.imported("ops-key (api-key)"));

        assertThat(imported.get(0).origin()).isEqualTo(CertificateOrigin.imported("ops-key (api-key)"));
    }

    @Test
    default void shouldBuildThePathToATrustAnchorWithThePkixBuilder() {
        TestPki root = TestPki.create("Path CA " + System.nanoTime());
        X509Certificate leaf = root.issue(unique("path", "partner.example")).certificate();
        store().add(root.caCertificate(), CertificateKind.ANCHOR, TrustStatus.TRUSTED);
        store().add(leaf, CertificateKind.PARTNER, TrustStatus.TRUSTED);

        TrustPath path = store().trustPath(leaf);

        assertThat(path.anchored()).isTrue();
        assertThat(path.problem()).isNull();
        assertThat(path.certificates()).containsExactly(leaf, root.caCertificate());
        assertThat(store().trustPath(root.caCertificate()).certificates()).containsExactly(root.caCertificate());
    }

    @Test
    default void shouldSayWhyNoPathToATrustAnchorIsFound() {
        TestPki unknownRoot = TestPki.create("Unknown CA " + System.nanoTime());
        X509Certificate orphan = unknownRoot.issue(unique("orphan", "partner.example")).certificate();
        TestPki notAnchor = TestPki.create("Not An Anchor CA " + System.nanoTime());
        X509Certificate belowIntermediate = notAnchor.issue(unique("below", "partner.example")).certificate();
        store().add(notAnchor.caCertificate(), CertificateKind.INTERMEDIATE, TrustStatus.TRUSTED);
        TestPki anchored = TestPki.create("Anchored CA " + System.nanoTime());
        store().add(anchored.caCertificate(), CertificateKind.ANCHOR, TrustStatus.TRUSTED);
        Instant now = Instant.now();
        X509Certificate expired = anchored.builder(unique("expired", "partner.example"))
                .validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))).issue().certificate();

        TrustPath noIssuer = store().trustPath(orphan);
        TrustPath rootNotTrusted = store().trustPath(belowIntermediate);
        TrustPath outOfDate = store().trustPath(expired);

        assertThat(noIssuer.anchored()).isFalse();
        assertThat(noIssuer.certificates()).containsExactly(orphan);
        assertThat(noIssuer.problem().code()).isEqualTo("chain.issuer-missing");
        assertThat(noIssuer.problem().message()).contains("no stored CA certificate issued").contains("Unknown CA");
        assertThat(noIssuer.problem().arguments().get("issuer")).contains("Unknown CA");
        assertThat(rootNotTrusted.anchored()).isFalse();
        assertThat(rootNotTrusted.certificates()).containsExactly(belowIntermediate, notAnchor.caCertificate());
        assertThat(rootNotTrusted.problem().code()).isEqualTo("chain.root-not-trusted");
        assertThat(rootNotTrusted.problem().message()).contains("is not a trust anchor").contains("import it as ANCHOR");
        assertThat(outOfDate.anchored()).isFalse();
        assertThat(outOfDate.problem().code()).isEqualTo("chain.not-valid-now");
        assertThat(outOfDate.problem().message()).contains("is not valid now");
        assertThat(outOfDate.problem().arguments()).containsKeys("subject", "notBefore", "notAfter");
    }

    // ---- the read cache of the mail path (ADR 0212) ---------------------------------------------

    Duration CHECK_INTERVAL = Duration.ofSeconds(2);

    /** A store as one node of a cluster has it: its own cache generations, read at most every {@link #CHECK_INTERVAL} of its clock. */
    private CertificateStore node(AtomicLong nanoTime) {
        return node(nanoTime, Clock.systemUTC());
    }

    private CertificateStore node(AtomicLong nanoTime, Clock clock) {
        return new CertificateStore(dataSource(), new PrivateKeyCipher(masterKey()), clock,
                new CacheGenerations(dataSource(), CHECK_INTERVAL, nanoTime::get), 100);
    }

    private long certificateGeneration() {
        return JdbcClient.create(dataSource()).sql("SELECT generation FROM cache_generation WHERE cache_name = ?")
                .param(CertificateStore.CACHE).query(Long.class).single();
    }

    /** The id chosen for the address on a thread of its own: outside any transaction of the caller's, as another mail would ask. */
    private static Optional<Long> encryptionCertificateElsewhere(CertificateStore node, String address) {
        return CompletableFuture.supplyAsync(() -> node.findUsableCached(address, KeyPurpose.ENCRYPTION, false)
                .map(StoredCertificate::id)).join();
    }

    @Test
    default void shouldStopUsingACertificateAtOnceWhenThisNodeRevokesIt() {
        String address = unique("judy", "partner.example");
        CertificateStore node = node(new AtomicLong());
        StoredCertificate stored = node.add(PKI.issue(address).certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);
        assertThat(node.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).map(StoredCertificate::id).contains(stored.id());

        node.markRevoked(stored.id(), Instant.now().minusSeconds(1));

        assertThat(node.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).isEmpty();
    }

    @Test
    default void shouldStopUsingACertificateRevokedOnAnotherNodeOnceTheCheckIntervalHasPassed() {
        String address = unique("ken", "Partner.Example");
        AtomicLong clockOfB = new AtomicLong();
        CertificateStore a = node(new AtomicLong());
        CertificateStore b = node(clockOfB);
        StoredCertificate stored = a.add(PKI.issue(address).certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);
        assertThat(b.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).map(StoredCertificate::id).contains(stored.id());

        a.markRevoked(stored.id(), Instant.now().minusSeconds(1));
        clockOfB.addAndGet(CHECK_INTERVAL.toNanos() - 1);
        assertThat(b.findUsableCached(address.replace("Partner.Example", "PARTNER.example"), KeyPurpose.ENCRYPTION, false))
                .as("within its check interval node B may still choose it: the documented bound")
                .map(StoredCertificate::id).contains(stored.id());
        clockOfB.addAndGet(1);

        assertThat(b.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).isEmpty();
        assertThat(a.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).isEmpty();
    }

    @Test
    default void shouldStopUsingARevocationDateAsSoonAsItPassesEvenWhenCached() {
        String address = unique("lena", "partner.example");
        CertificateStore node = node(new AtomicLong());
        StoredCertificate stored = node.add(PKI.issue(address).certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);
        node.markRevoked(stored.id(), Instant.now().plusMillis(300));
        assertThat(node.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).map(StoredCertificate::id).contains(stored.id());

        await(Duration.ofMillis(400));

        assertThat(node.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).isEmpty();
    }

    @Test
    default void shouldChooseACertificateThatBecomesValidWhileAnOlderOneIsCached() {
        String address = unique("rosa", "partner.example");
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Instant renewal = clock.instant().plus(Duration.ofHours(1));
        CertificateStore node = node(new AtomicLong(), clock);
        StoredCertificate current = node.add(PKI.builder(address).validity(clock.instant().minus(Duration.ofDays(30)),
                clock.instant().plus(Duration.ofDays(300))).issue().certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);
        StoredCertificate next = node.add(PKI.builder(address).validity(renewal, renewal.plus(Duration.ofDays(365)))
                .issue().certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);
        assertThat(node.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).map(StoredCertificate::id).contains(current.id());

        clock.advance(Duration.ofHours(1));

        assertThat(node.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).as("valid from now, and newer")
                .map(StoredCertificate::id).contains(next.id());
    }

    @Test
    default void shouldStopSigningWithAKeyRemovedOnAnotherNodeOnceTheCheckIntervalHasPassed() {
        String address = unique("mike", "own.example");
        AtomicLong clockOfB = new AtomicLong();
        CertificateStore a = node(new AtomicLong());
        CertificateStore b = node(clockOfB);
        TestPki.Issued issued = PKI.issue(address);
        StoredCertificate stored = a.addOwn(issued.certificate(), issued.keys().getPrivate());
        OwnKey key = b.signingKey(address).orElseThrow();
        assertThat(key.privateKey().getEncoded()).isEqualTo(issued.keys().getPrivate().getEncoded());

        assertThat(a.delete(stored.id())).isTrue();
        assertThat(a.signingKey(address)).as("gone at once on the node that removed it").isEmpty();
        clockOfB.addAndGet(CHECK_INTERVAL.toNanos());

        assertThat(b.signingKey(address)).isEmpty();
        assertThatThrownBy(() -> b.ownKey(key.stored()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no longer in the store");
    }

    @Test
    default void shouldChooseAReplacementCertificateAtOnceHereAndWithinTheCheckIntervalOnOtherNodes() {
        String address = unique("nina", "partner.example");
        Instant now = Instant.now();
        AtomicLong clockOfB = new AtomicLong();
        CertificateStore a = node(new AtomicLong());
        CertificateStore b = node(clockOfB);
        StoredCertificate old = a.add(PKI.builder(address).validity(now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(300)))
                .issue().certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);
        assertThat(a.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).map(StoredCertificate::id).contains(old.id());
        assertThat(b.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).map(StoredCertificate::id).contains(old.id());

        StoredCertificate replacement = a.importBundle(new CertificateBundle(List.of(), List.of(PKI.builder(address)
                        .validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(300))).issue().certificate()), List.of()),
                CertificateKind.PARTNER).get(0);

        assertThat(a.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).map(StoredCertificate::id).contains(replacement.id());
        assertThat(b.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).as("node B within its interval: cached")
                .map(StoredCertificate::id).contains(old.id());
        clockOfB.addAndGet(CHECK_INTERVAL.toNanos());
        assertThat(b.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).map(StoredCertificate::id).contains(replacement.id());
    }

    /**
     * A look-up that reads the rows while a change is under way (not yet committed) gets the old
     * answer; it must not stay cached once the change has committed: on the node that made the
     * change at once, on the others after their check interval.
     */
    @Test
    default void shouldNotKeepAnAnswerLoadedWhileAChangeWasUnderWay() {
        String address = unique("rita", "partner.example");
        AtomicLong clockOfB = new AtomicLong();
        CertificateStore a = node(new AtomicLong());
        CertificateStore b = node(clockOfB);
        StoredCertificate stored = a.add(PKI.issue(address).certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);

        new TransactionTemplate(new DataSourceTransactionManager(dataSource())).executeWithoutResult(status -> {
            a.markRevoked(stored.id(), Instant.now().minusSeconds(1));
            assertThat(encryptionCertificateElsewhere(a, address)).as("node A, before the revocation commits").contains(stored.id());
            assertThat(encryptionCertificateElsewhere(b, address)).as("node B, before the revocation commits").contains(stored.id());
        });

        assertThat(a.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).as("node A once it committed").isEmpty();
        clockOfB.addAndGet(CHECK_INTERVAL.toNanos());
        assertThat(b.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).as("node B after its interval").isEmpty();
    }

    @Test
    default void shouldMoveTheGenerationOncePerChangeAndNotForAChangeThatRollsBack() {
        String address = unique("sven", "partner.example");
        CertificateStore node = node(new AtomicLong());
        TestPki real = TestPki.create("Rollback CA " + System.nanoTime());
        node.add(real.caCertificate(), CertificateKind.ANCHOR, TrustStatus.TRUSTED);
        long before = certificateGeneration();

        assertThatThrownBy(() -> node.importBundle(new CertificateBundle(List.of(), List.of(real.issue(address).certificate()),
                List.of(TestPki.createWithSameName(real).crl())), CertificateKind.PARTNER))
                .hasMessageContaining("is not signed by the stored certificate of that issuer");
        assertThat(certificateGeneration()).as("the import rolled back").isEqualTo(before);
        assertThat(node.findByAddress(address)).isEmpty();

        node.importBundle(new CertificateBundle(List.of(), List.of(real.issue(address).certificate(),
                real.issue(address).certificate()), List.of()), CertificateKind.PARTNER);

        assertThat(certificateGeneration()).as("one import, one transaction, one move").isEqualTo(before + 1);
    }

    @Test
    default void shouldSeeAChangeMadeByHandOnceTheCertificateGenerationIsBumpedByHand() {
        String address = unique("tara", "partner.example");
        CertificateStore node = new CertificateStore(dataSource(), new PrivateKeyCipher(masterKey()), Clock.systemUTC());
        StoredCertificate stored = node.add(PKI.issue(address).certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);
        assertThat(node.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).isPresent();
        JdbcClient jdbc = JdbcClient.create(dataSource());
        jdbc.sql("DELETE FROM certificate WHERE id = ?").param(stored.id()).update();
        assertThat(node.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).as("cached until told").isPresent();

        assertThat(jdbc.sql("UPDATE cache_generation SET generation = generation + 1 WHERE cache_name = 'certificate'").update())
                .as("the documented statement finds its row").isEqualTo(1);

        assertThat(node.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).isEmpty();
    }

    @Test
    default void shouldSeeAnotherNodesChangeAtOnceWithACheckIntervalOfZero() {
        String address = unique("oscar", "partner.example");
        CertificateStore a = node(new AtomicLong());
        CertificateStore b = new CertificateStore(dataSource(), new PrivateKeyCipher(masterKey()), Clock.systemUTC(),
                new CacheGenerations(dataSource(), Duration.ZERO), 100);
        StoredCertificate stored = a.add(PKI.issue(address).certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);
        assertThat(b.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).isPresent();

        a.markRevoked(stored.id(), Instant.now().minusSeconds(1));

        assertThat(b.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).isEmpty();
    }

    @Test
    default void shouldNotKeepThatNoCertificateWasFoundSoOneAddedOnAnotherNodeIsUsedAtOnce() {
        String address = unique("paula", "partner.example");
        CertificateStore a = node(new AtomicLong());
        CertificateStore b = node(new AtomicLong());
        assertThat(b.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).isEmpty();

        StoredCertificate stored = a.add(PKI.issue(address).certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);

        assertThat(b.findUsableCached(address, KeyPurpose.ENCRYPTION, false)).map(StoredCertificate::id).contains(stored.id());
    }

    @Test
    default void shouldAnswerEnrollmentFromTheDatabaseNotFromTheCache() {
        String address = unique("quinn", "own.example");
        Instant now = Instant.now();
        CertificateStore a = node(new AtomicLong());
        CertificateStore b = node(new AtomicLong());
        TestPki.Issued expiring = PKI.builder(address).validity(now.minus(Duration.ofDays(300)), now.plus(Duration.ofDays(3))).issue();
        a.addOwn(expiring.certificate(), expiring.keys().getPrivate());
        assertThat(b.findUsableCached(address, KeyPurpose.SIGNING, false)).isPresent();

        TestPki.Issued renewed = PKI.builder(address).validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365))).issue();
        StoredCertificate fresh = a.addOwn(renewed.certificate(), renewed.keys().getPrivate());

        assertThat(b.findUsable(address, KeyPurpose.SIGNING, false)).as("what renewal and enrollment decide on")
                .map(StoredCertificate::id).contains(fresh.id());
    }

    @Test
    default void shouldRefuseAnEmptyCacheNamingTheProperty() {
        assertThatThrownBy(() -> new CertificateStore(dataSource(), new PrivateKeyCipher(masterKey()), Clock.systemUTC(),
                new CacheGenerations(dataSource(), Duration.ZERO), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sealgate.certificates.cache.max-entries");
    }

    private static void await(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
