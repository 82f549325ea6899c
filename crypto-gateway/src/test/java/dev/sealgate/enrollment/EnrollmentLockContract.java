package dev.sealgate.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.certprovider.CertificateProvider;
import dev.sealgate.certprovider.local.LocalCaConfig;
import dev.sealgate.certprovider.local.LocalCertificateAuthority;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes (two enrollment services on one database) never enroll the same address at the same
 * moment; run on H2 and on PostgreSQL.
 */
public interface EnrollmentLockContract {

    DataSource dataSource();

    private static EnrollmentSettings settings() {
        return new EnrollmentSettings(EnrollmentSettings.KeyAlgorithm.EC, Duration.ofDays(14), Duration.ofMinutes(5),
                Duration.ofHours(1), 3, Duration.ofHours(24), Duration.ofMinutes(5));
    }

    private static String domain() {
        return "lock" + Long.toHexString(System.nanoTime()) + ".example";
    }

    /** A node whose provider for {@code swiss.<domain>} is the gated one. */
    private EnrollmentContract.Rig node(Path ca, CertificateProvider gated, String domain) {
        return new EnrollmentContract.Rig(dataSource(), ca, gated, domain, settings());
    }

    private static LocalCertificateAuthority localCa(Path directory) throws Exception {
        return LocalCertificateAuthority.openOrCreate(new LocalCaConfig(directory, "ca-password".toCharArray()));
    }

    @Test
    default void shouldAnswerASecondNodesRequestWithTheOneUnderWay(@TempDir Path ca) throws Exception {
        String domain = domain();
        String address = "alice@swiss." + domain;
        CountDownLatch gate = new CountDownLatch(1);
        GatedProvider provider = new GatedProvider(localCa(ca.resolve("shared")), gate);
        EnrollmentContract.Rig a = node(ca.resolve("a"), provider, domain);
        EnrollmentContract.Rig b = node(ca.resolve("b"), provider, domain);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<EnrollmentRecord> first = pool.submit(() -> a.service.enroll(address, RequestType.CERTIFICATE_REQUEST));
        provider.awaitFirstRequest();

        EnrollmentRecord second = b.service.enroll(address, RequestType.CERTIFICATE_REQUEST);
        gate.countDown();
        EnrollmentRecord done = first.get();
        pool.shutdown();

        assertThat(second.id()).as("node b got node a's request").isEqualTo(done.id());
        assertThat(provider.requests).hasValue(1);
        assertThat(done.requestStatus()).isEqualTo(RequestStatus.SUCCEEDED);
        assertThat(a.log.find(new EnrollmentQuery(address, null, null, 10))).hasSize(1);
        assertThat(b.service.enroll(address, RequestType.RENEWAL).id()).as("the hold ends with the request")
                .isNotEqualTo(done.id());
    }

    @Test
    default void shouldLetOnlyOneOfManyConcurrentEnrollmentsOfAnAddressReachTheProvider(@TempDir Path ca) throws Exception {
        String domain = domain();
        String address = "bob@swiss." + domain;
        int callers = 8;
        CountDownLatch othersDone = new CountDownLatch(callers - 1);
        GatedProvider provider = new GatedProvider(localCa(ca.resolve("shared")), othersDone);
        List<EnrollmentContract.Rig> nodes = List.of(node(ca.resolve("a"), provider, domain), node(ca.resolve("b"), provider, domain));
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Callable<EnrollmentOutcome>> calls = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            EnrollmentContract.Rig node = nodes.get(i % 2);
            calls.add(() -> {
                EnrollmentOutcome outcome = node.service.ensureCertificate(address);
                if (outcome.status() != EnrollmentOutcome.Status.ISSUED) {
                    othersDone.countDown();
                }
                return outcome;
            });
        }
        List<EnrollmentOutcome> outcomes = new ArrayList<>();
        for (Future<EnrollmentOutcome> f : pool.invokeAll(calls)) {
            outcomes.add(f.get());
        }
        pool.shutdown();

        assertThat(provider.requests).hasValue(1);
        assertThat(outcomes).extracting(EnrollmentOutcome::status).filteredOn(s -> s == EnrollmentOutcome.Status.ISSUED).hasSize(1);
        assertThat(outcomes).extracting(EnrollmentOutcome::status)
                .isSubsetOf(EnrollmentOutcome.Status.ISSUED, EnrollmentOutcome.Status.PENDING);
        assertThat(outcomes).filteredOn(o -> o.status() == EnrollmentOutcome.Status.PENDING)
                .allSatisfy(o -> assertThat(o.request()).as("a pending answer names the request under way").isNotNull());
    }
}
