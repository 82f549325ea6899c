package dev.sealgate.certprovider.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.certprovider.EnrollmentRequest;
import dev.sealgate.certprovider.EnrollmentResult;
import dev.sealgate.certprovider.RevocationReason;
import dev.sealgate.certprovider.testkit.MutableClock;
import dev.sealgate.certprovider.testkit.TestPki;
import java.math.BigInteger;
import java.nio.file.Files;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every store of the local CA must do, and what several CA instances (nodes) sharing one store
 * see. Each store's test class implements this interface: the directory, the database on H2 and
 * on PostgreSQL.
 */
public interface LocalCaStoreContract {

    /** A store over new, empty state. */
    LocalCaStore emptyStore() throws Exception;

    /** Another instance over the same state as {@code store}, as a second node would open it. */
    LocalCaStore sameStateAs(LocalCaStore store) throws Exception;

    private static LocalCaStore.CaKeys otherKeys() throws Exception {
        FileLocalCaStore scratch = new FileLocalCaStore(Files.createTempDirectory("other-ca"), "scratch".toCharArray());
        LocalCertificateAuthority.openOrCreate(scratch, LocalCaSettings.defaults(), Clock.systemUTC());
        return scratch.load().orElseThrow();
    }

    private static X509Certificate issue(LocalCertificateAuthority ca, String address) throws Exception {
        return ((EnrollmentResult.Issued) ca.enroll(new EnrollmentRequest(address, TestPki.csr(TestPki.ecKeyPair(), address))))
                .chain().leaf();
    }

    @Test
    default void shouldBeEmptyBeforeTheFirstStartAndKeepTheCaAfterIt() throws Exception {
        LocalCaStore store = emptyStore();
        assertThat(store.load()).isEmpty();

        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(store, LocalCaSettings.defaults(), Clock.systemUTC());

        LocalCaStore.CaKeys loaded = sameStateAs(store).load().orElseThrow();
        assertThat(List.of(loaded.root(), loaded.issuing())).isEqualTo(ca.caCertificates());
        assertThat(loaded.issuingKey().getEncoded()).as("the issuing key survives the store")
                .isEqualTo(store.load().orElseThrow().issuingKey().getEncoded());
    }

    @Test
    default void shouldKeepTheFirstCaWhenASecondIsCreatedLater() throws Exception {
        LocalCaStore store = emptyStore();
        LocalCertificateAuthority first = LocalCertificateAuthority.openOrCreate(store, LocalCaSettings.defaults(), Clock.systemUTC());

        LocalCaStore.CaKeys kept = sameStateAs(store).createIfAbsent(otherKeys());

        assertThat(kept.issuing()).isEqualTo(first.caCertificates().get(1));
    }

    @Test
    default void shouldCreateExactlyOneCaWhenNodesStartAtOnceOnAnEmptyStore() throws Exception {
        LocalCaStore store = emptyStore();
        List<LocalCaStore> nodes = List.of(store, sameStateAs(store), sameStateAs(store), sameStateAs(store));
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        List<Callable<LocalCertificateAuthority>> starts = new ArrayList<>();
        nodes.forEach(node -> starts.add(() -> LocalCertificateAuthority.openOrCreate(node, LocalCaSettings.defaults(),
                Clock.systemUTC())));
        List<List<X509Certificate>> published = new ArrayList<>();
        for (Future<LocalCertificateAuthority> started : pool.invokeAll(starts)) {
            published.add(started.get().caCertificates());
        }
        pool.shutdown();

        assertThat(published).hasSize(4).allSatisfy(chain -> assertThat(chain).isEqualTo(published.get(0)));
        assertThat(sameStateAs(store).load().orElseThrow().issuing()).isEqualTo(published.get(0).get(1));
    }

    @Test
    default void shouldRefuseASerialItHasRecordedAndFindIssuedCertificatesBySerial() throws Exception {
        LocalCaStore store = emptyStore();
        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(store, LocalCaSettings.defaults(), Clock.systemUTC());
        X509Certificate leaf = issue(ca, "alice@example.org");

        LocalCaStore other = sameStateAs(store);
        assertThat(other.recordIssued(leaf, "alice@example.org", Instant.now())).as("serial taken").isFalse();
        assertThat(other.issued(leaf.getSerialNumber())).contains(leaf);
        assertThat(other.issued(leaf.getSerialNumber().add(BigInteger.ONE))).isEmpty();
    }

    @Test
    default void shouldRecordARevocationOnce() throws Exception {
        LocalCaStore store = emptyStore();
        Instant at = Instant.parse("2026-06-01T10:00:00Z");
        BigInteger serial = new BigInteger("8f00ff", 16);

        assertThat(store.recordRevocation(new LocalCaStore.Revocation(serial, at, 4))).isTrue();
        assertThat(sameStateAs(store).recordRevocation(new LocalCaStore.Revocation(serial, at.plusSeconds(5), 1))).isFalse();

        assertThat(store.revocations()).containsExactly(new LocalCaStore.Revocation(serial, at, 4));
    }

    @Test
    default void shouldPublishACrlOnlyOverTheNumberItSaw() throws Exception {
        LocalCaStore store = emptyStore();
        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(store, LocalCaSettings.defaults(), Clock.systemUTC());
        LocalCaStore.PublishedCrl current = store.currentCrl();
        X509CRL crl = ca.crl();
        assertThat(current.number()).isEqualTo(BigInteger.ONE);

        assertThat(sameStateAs(store).publishCrl(crl, BigInteger.TWO, BigInteger.ONE)).isTrue();
        assertThat(store.publishCrl(crl, BigInteger.TWO, BigInteger.ONE)).as("number 1 is gone").isFalse();
        assertThat(store.currentCrl().number()).isEqualTo(BigInteger.TWO);
        assertThat(store.currentCrl().crl()).isEqualTo(crl);
    }

    @Test
    default void shouldPublishTheSameCaAndCrlOnEveryNodeWithRevocationsFromAnyOfThem() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-02T10:00:00Z"));
        LocalCaStore store = emptyStore();
        LocalCertificateAuthority a = LocalCertificateAuthority.openOrCreate(store, LocalCaSettings.defaults(), clock);
        LocalCertificateAuthority b = LocalCertificateAuthority.openOrCreate(sameStateAs(store), LocalCaSettings.defaults(), clock);
        X509Certificate leaf = issue(a, "alice@example.org");

        clock.advance(Duration.ofMinutes(1));
        b.revoke(leaf, RevocationReason.KEY_COMPROMISE);

        assertThat(b.caCertificatesPem()).isEqualTo(a.caCertificatesPem());
        assertThat(a.crlPem()).isEqualTo(b.crlPem());
        assertThat(a.crl().isRevoked(leaf)).isTrue();
        assertThat(b.fetchChain(new dev.sealgate.certprovider.OrderReference(leaf.getSerialNumber().toString(16), clock.instant()))
                .leaf()).isEqualTo(leaf);
    }

    @Test
    default void shouldLetOneNodeReissueTheCrlAtHalfItsValidityForAll() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-03T10:00:00Z"));
        LocalCaStore store = emptyStore();
        LocalCertificateAuthority a = LocalCertificateAuthority.openOrCreate(store, LocalCaSettings.defaults(), clock);
        LocalCertificateAuthority b = LocalCertificateAuthority.openOrCreate(sameStateAs(store), LocalCaSettings.defaults(), clock);
        X509CRL first = a.crl();

        clock.advance(Duration.ofDays(4));
        X509CRL reissued = b.crl();

        assertThat(reissued.getThisUpdate()).isAfter(first.getThisUpdate());
        assertThat(a.crl()).isEqualTo(reissued);
    }
}
