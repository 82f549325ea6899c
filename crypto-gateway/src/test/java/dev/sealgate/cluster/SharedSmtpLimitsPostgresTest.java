package dev.sealgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.smtp.ClientLimits;
import dev.sealgate.smtp.GatewayHarness;
import dev.sealgate.smtp.RawSmtp;
import dev.sealgate.smtp.SmtpSink;
import dev.sealgate.storage.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two SMTP listeners ("nodes") whose per-client counters share one PostgreSQL database, with a
 * limit of 3 messages per minute per client: a client that starts two messages on node A and then
 * goes to node B gets one more there, and the fourth is refused with 421 — the limit holds for the
 * cluster, not per node (a node on its own would have allowed 3 + 3). Another client address is
 * still served. The counters sync when the test says so (as the background thread does every
 * second in the service), so nothing here waits for a timer.
 *
 * <p>Each harness keeps its queue in a database of its own; what the nodes share here is the
 * counter database, which is what this test is about. Skipped without PostgreSQL, except with
 * {@code CI=true}.
 */
class SharedSmtpLimitsPostgresTest {

    private static final Duration MINUTES = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAClientOverTheLimitOnTheOtherNodeOnceTheNodesSynced() throws Exception {
        ClientLimits limits = new ClientLimits(0, 0, 3, 0, MINUTES, MINUTES, true);
        try (TestDatabase shared = TestDatabase.postgres(); SmtpSink sink = SmtpSink.plain()) {
            ClusterClientCounters countersA = new ClusterClientCounters(new DatabaseCounters(shared.dataSource()), Duration.ZERO, Clock.systemUTC());
            ClusterClientCounters countersB = new ClusterClientCounters(new DatabaseCounters(shared.dataSource()), Duration.ZERO, Clock.systemUTC());
            awaitAtLeast20SecondsLeftInTheMinute();
            try (GatewayHarness a = GatewayHarness.builder(dir.resolve("a")).nextHops(sink).limits(limits).counters(countersA).start();
                    GatewayHarness b = GatewayHarness.builder(dir.resolve("b")).nextHops(sink).limits(limits).counters(countersB).start()) {
                try (RawSmtp c = new RawSmtp("127.0.0.2", a.port())) {
                    c.greeting();
                    assertThat(c.command("EHLO client.test")).startsWith("250");
                    for (int i = 0; i < 2; i++) {
                        assertThat(c.command("MAIL FROM:<alice@partner.example>")).startsWith("250");
                        assertThat(c.command("RSET")).startsWith("250");
                    }
                }
                countersA.sync();
                countersB.sync();

                try (RawSmtp c = new RawSmtp("127.0.0.2", b.port())) {
                    c.greeting();
                    assertThat(c.command("EHLO client.test")).startsWith("250");
                    assertThat(c.command("MAIL FROM:<alice@partner.example>")).as("the third message of the minute").startsWith("250");
                    assertThat(c.command("RSET")).startsWith("250");
                    assertThat(c.command("MAIL FROM:<alice@partner.example>")).as("the fourth, counted with node A's two")
                            .startsWith("421 4.7.0").contains("too many messages");
                }
                try (RawSmtp other = new RawSmtp("127.0.0.3", b.port())) {
                    other.greeting();
                    assertThat(other.command("EHLO other.test")).startsWith("250");
                    assertThat(other.command("MAIL FROM:<carol@partner.example>")).as("another client").startsWith("250");
                }
            } finally {
                countersA.close();
                countersB.close();
            }
        }
    }

    /** The limits count in fixed one-minute windows: start where the test cannot run into the next one. */
    private static void awaitAtLeast20SecondsLeftInTheMinute() throws InterruptedException {
        long intoMinute = Math.floorMod(System.currentTimeMillis(), 60_000L);
        if (intoMinute > 40_000) {
            Thread.sleep(60_000 - intoMinute + 100);
        }
    }
}
