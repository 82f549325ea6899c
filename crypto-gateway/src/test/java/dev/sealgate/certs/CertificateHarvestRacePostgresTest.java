package dev.sealgate.certs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.storage.DatabaseExtension;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two signed messages of a new partner, received at the same moment (two sessions, or two nodes),
 * harvest the same certificate: the second insert waits for the first one's row and then meets it
 * as a duplicate key. On PostgreSQL that error aborts the whole transaction it runs in unless the
 * insert ran under a savepoint; the harvest would then fail and its message be refused. It must
 * find the other row and go on. (On H2 an error rolls back only its statement.)
 */
class CertificateHarvestRacePostgresTest {

    @RegisterExtension
    static final DatabaseExtension db = DatabaseExtension.postgres();

    private static final TestPki PKI = TestPki.create("Race CA");

    @Test
    void shouldHarvestTheSameNewCertificateFromTwoTransactionsAtOnce() throws Exception {
        PrivateKeyCipher cipher = new PrivateKeyCipher(MasterKey.random());
        CertificateStore first = new CertificateStore(db.dataSource(), cipher, Clock.systemUTC());
        CertificateStore second = new CertificateStore(db.dataSource(), cipher, Clock.systemUTC());
        X509Certificate certificate = PKI.issue("race." + System.nanoTime() + "@partner.example").certificate();
        TransactionTemplate outer = new TransactionTemplate(new DataSourceTransactionManager(db.dataSource()));
        CountDownLatch inserted = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);

        // the first harvest inserts the certificate and holds its transaction open
        CompletableFuture<StoredCertificate> a = CompletableFuture.supplyAsync(() -> outer.execute(status -> {
            StoredCertificate stored = first.harvest(certificate, List.of(), TrustStatus.UNTRUSTED, null);
            inserted.countDown();
            try {
                commit.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return stored;
        }));
        assertThat(inserted.await(30, TimeUnit.SECONDS)).isTrue();
        // the second finds nothing committed, inserts, and waits on the first one's uncommitted row
        CompletableFuture<StoredCertificate> b = CompletableFuture.supplyAsync(
                () -> second.harvest(certificate, List.of(), TrustStatus.UNTRUSTED, null));
        JdbcClient jdbc = JdbcClient.create(db.dataSource());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (jdbc.sql("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                + " AND query LIKE 'INSERT INTO certificate %'").query(Long.class).single() == 0) {
            assertThat(System.nanoTime()).as("the second insert waits for the first").isLessThan(deadline);
            assertThat(b).as("the second harvest waits instead of finishing").isNotDone();
            Thread.sleep(10);
        }
        commit.countDown();

        StoredCertificate stored = a.get(30, TimeUnit.SECONDS);
        assertThat(b.get(30, TimeUnit.SECONDS).id()).isEqualTo(stored.id());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM certificate WHERE fingerprint = ?").param(stored.fingerprint())
                .query(Long.class).single()).isEqualTo(1);
    }
}
