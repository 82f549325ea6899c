package dev.sealgate.queue;

import static dev.sealgate.queue.QueueFixtures.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.cluster.ClusterNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * How the queue hands the claims of a node that stopped heart-beating to the others, and keeps
 * those of a live node; run on H2 and on PostgreSQL, with fixed instants.
 */
public interface QueueTakeoverContract {

    Duration LEASE = Duration.ofMinutes(10);
    Duration TAKEOVER = Duration.ofSeconds(60);

    DataSource dataSource();

    private QueueRepository queue() {
        return new QueueRepository(dataSource(), TAKEOVER);
    }

    private ClusterNodes nodes() {
        return new ClusterNodes(dataSource());
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
    }

    @Test
    default void shouldTakeOverTheClaimsOfANodeThatStoppedHeartBeatingLongBeforeTheLeaseEnds() {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-04-01T10:00:00Z");
        String id = unique("dead");
        String a = unique("node-a");
        queue.enqueue(List.of(message(id, t0, "alice@partner.example", "hop", "bob@corp.example", "carol@corp.example")));
        nodes().started(a, t0);
        assertThat(claimAllOf(queue, a, t0, id)).hasSize(2);
        nodes().heartbeat(a, t0.plusSeconds(30));

        assertThat(claimAllOf(queue, "node-b", t0.plusSeconds(89), id)).as("a's heartbeat is 59 s old").isEmpty();
        assertThat(claimAllOf(queue, "node-b", t0.plusSeconds(91), id)).as("a's heartbeat is 61 s old, lease has 8 min left")
                .extracting(ClaimedRecipient::address).containsExactly("bob@corp.example", "carol@corp.example");
    }

    @Test
    default void shouldNeverTakeAClaimFromALiveNodeEvenAfterItsLease() {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-04-02T10:00:00Z");
        String id = unique("slow");
        String a = unique("node-a");
        queue.enqueue(List.of(message(id, t0, "alice@partner.example", "hop", "bob@corp.example")));
        nodes().started(a, t0);
        assertThat(claimAllOf(queue, a, t0, id)).hasSize(1);
        Instant late = t0.plus(LEASE).plus(Duration.ofMinutes(20));
        nodes().heartbeat(a, late.minusSeconds(5));

        assertThat(claimAllOf(queue, "node-b", late, id)).as("a still works on it, 20 min past its lease").isEmpty();
        assertThat(claimAllOf(queue, "node-b", late.plus(TAKEOVER), id)).as("a went silent").hasSize(1);
    }

    @Test
    default void shouldFallBackToTheLeaseForAClaimWhoseNodeNeverHeartBeat() {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-04-03T10:00:00Z");
        String id = unique("legacy");
        queue.enqueue(List.of(message(id, t0, "alice@partner.example", "hop", "bob@corp.example")));
        assertThat(claimAllOf(queue, unique("silent"), t0, id)).hasSize(1);

        assertThat(claimAllOf(queue, "node-b", t0.plus(TAKEOVER).plusSeconds(1), id)).as("lease still runs").isEmpty();
        assertThat(claimAllOf(queue, "node-b", t0.plus(LEASE).plusSeconds(1), id)).as("lease expired").hasSize(1);
    }

    @Test
    default void shouldLetAnyLiveNodeDeliverAnyMessage() {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-04-04T10:00:00Z");
        String id = unique("any");
        String c = unique("node-c");
        queue.enqueue(List.of(message(id, t0, "alice@partner.example", "hop", "bob@corp.example")));
        nodes().started(c, t0);

        assertThat(claimAllOf(queue, c, t0, id)).as("a message received elsewhere").hasSize(1);
    }

    @Test
    default void shouldReleaseOnlyTheClaimsOfTheNamedNodeWhateverCharactersItsNameHas() {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-04-05T10:00:00Z");
        String id = unique("names");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        queue.enqueue(List.of(message(id, t0, "alice@partner.example", "hop", "bob@corp.example")));
        assertThat(claimAllOf(queue, "mx1x" + tag, t0, id)).hasSize(1);

        assertThat(queue.releaseClaims("mx1_" + tag)).as("'_' is no wildcard").isZero();
        assertThat(queue.releaseClaims("mx1%")).as("'%' is no wildcard").isZero();
        assertThat(queue.releaseClaims("mx1x" + tag)).isEqualTo(1);
    }

    @Test
    default void shouldEnqueueRecipientsAlreadyClaimedByTheReceivingNodeWhichOthersTakeOverOnlyWhenItFallsSilent() {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-04-06T10:00:00Z");
        String id = unique("handed");
        String a = unique("node-a");
        nodes().started(a, t0);

        List<ClaimedRecipient> claims = queue.enqueueClaimed(List.of(message(id, t0, "alice@partner.example", "hop",
                "bob@corp.example", "carol@corp.example")), a, t0, LEASE);

        assertThat(claims).extracting(ClaimedRecipient::address).containsExactly("bob@corp.example", "carol@corp.example");
        assertThat(claims).allSatisfy(c -> {
            assertThat(c.messageId()).isEqualTo(id);
            assertThat(c.nextHop()).isEqualTo("hop");
            assertThat(c.attempts()).isZero();
        });
        assertThat(claimAllOf(queue, a, t0, id)).as("already claimed: not claimed a second time, not even by a").isEmpty();
        nodes().heartbeat(a, t0.plusSeconds(30));
        assertThat(claimAllOf(queue, "node-b", t0.plusSeconds(89), id)).as("a lives").isEmpty();
        assertThat(claimAllOf(queue, "node-b", t0.plusSeconds(91), id)).as("a killed before delivering: b takes over")
                .extracting(ClaimedRecipient::id).containsExactlyElementsOf(claims.stream().map(ClaimedRecipient::id).toList());
    }

    @Test
    default void shouldGiveBackTheHandedOverClaimsOfARestartedNode() {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-04-07T10:00:00Z");
        String id = unique("restart");
        String a = unique("node-a");
        List<ClaimedRecipient> claims = queue.enqueueClaimed(List.of(message(id, t0, "alice@partner.example", "hop",
                "bob@corp.example")), a, t0, LEASE);
        assertThat(claims).hasSize(1);

        assertThat(queue.releaseClaims(a)).as("what a restart of a does first").isEqualTo(1);
        assertThat(claimAllOf(queue, a, t0, id)).extracting(ClaimedRecipient::id).containsExactly(claims.get(0).id());
    }

    @Test
    default void shouldClaimOnlyTheHandedOverCallersRecipientsInASharedCommit() throws Exception {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-04-08T10:00:00Z");
        String a = unique("node-a");
        List<String> ids = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        java.util.Map<String, List<ClaimedRecipient>> claims = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < 8; i++) {
            String id = unique("shared" + i);
            ids.add(id);
            boolean claimed = i % 2 == 0;
            threads.add(new Thread(() -> {
                if (claimed) {
                    claims.put(id, queue.enqueueClaimed(List.of(message(id, t0, "alice@partner.example", "hop",
                            "bob@corp.example")), a, t0, LEASE));
                } else {
                    queue.enqueue(List.of(message(id, t0, "alice@partner.example", "hop", "bob@corp.example")));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        List<String> claimedByB = new ArrayList<>();
        for (List<ClaimedRecipient> batch; !(batch = queue.claimDue("node-b", t0, LEASE, 100)).isEmpty(); ) {
            batch.forEach(r -> claimedByB.add(r.messageId()));
            batch.forEach(r -> queue.retryLater(r.id(), "parked by test", t0.plus(Duration.ofDays(3650))));
        }
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (i % 2 == 0) {
                assertThat(claims.get(id)).as(id).extracting(ClaimedRecipient::messageId).containsExactly(id);
                assertThat(claimedByB).as(id + " is claimed by a").doesNotContain(id);
            } else {
                assertThat(claims).doesNotContainKey(id);
                assertThat(claimedByB).as(id + " was queued unclaimed").containsOnlyOnce(id);
            }
        }
    }

    /** Claims repeatedly and keeps the recipients of one message; parks the rest (other tests' rows). */
    /**
     * ADR 0193: the claims the intake hands over are built from what it wrote and the generated ids;
     * they must equal what the queue holds, as a poller reads it after a restart gave them back.
     */
    @Test
    default void shouldHandOverExactlyTheClaimsTheQueueHolds() {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-04-09T10:00:00.123456789Z"); // the databases keep microseconds
        String a = unique("node-a");
        nodes().started(a, t0);
        String first = unique("first");
        String second = unique("second");
        List<ClaimedRecipient> handed = queue.enqueueClaimed(List.of(
                message(first, t0, "alice@partner.example", "hop-b", "bob@corp.example", "carol@corp.example"),
                message(second, t0, "", "hop-a", "dave@corp.example")), a, t0, LEASE);

        assertThat(handed).extracting(ClaimedRecipient::nextHop).containsExactly("hop-a", "hop-b", "hop-b");
        assertThat(handed).extracting(ClaimedRecipient::messageRows).containsExactly(1, 2, 2);
        assertThat(queue.releaseClaims(a)).isEqualTo(3);
        List<ClaimedRecipient> polled = new ArrayList<>();
        for (List<ClaimedRecipient> batch; !(batch = queue.claimDue(a, t0.plusSeconds(1), LEASE, 100)).isEmpty(); ) {
            for (ClaimedRecipient r : batch) {
                if (r.messageId().equals(first) || r.messageId().equals(second)) {
                    polled.add(r);
                } else {
                    queue.retryLater(r.id(), "parked by test", t0.plus(Duration.ofDays(3650)));
                }
            }
        }
        assertThat(handed).usingRecursiveFieldByFieldElementComparatorIgnoringFields("messageRows")
                .containsExactlyInAnyOrderElementsOf(polled);
    }

    private static List<ClaimedRecipient> claimAllOf(QueueRepository queue, String node, Instant now, String messageId) {
        List<ClaimedRecipient> mine = new ArrayList<>();
        List<ClaimedRecipient> others = new ArrayList<>();
        while (true) {
            List<ClaimedRecipient> batch = queue.claimDue(node, now, LEASE, 100);
            if (batch.isEmpty()) {
                break;
            }
            batch.forEach(r -> (r.messageId().equals(messageId) ? mine : others).add(r));
        }
        others.forEach(r -> queue.retryLater(r.id(), "parked by test", now.plus(Duration.ofDays(3650))));
        return mine;
    }
}
