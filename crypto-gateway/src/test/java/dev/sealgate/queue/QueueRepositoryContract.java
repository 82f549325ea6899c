package dev.sealgate.queue;

import static dev.sealgate.queue.QueueFixtures.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealgate.tracking.MessageStatus;
import dev.sealgate.tracking.RecipientStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What the queue storage must do; run on H2 and on PostgreSQL. */
public interface QueueRepositoryContract {

    DataSource dataSource();

    private QueueRepository queue() {
        return new QueueRepository(dataSource());
    }

    private static String unique(String prefix) {
        return prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 13);
    }

    @Test
    default void shouldClaimDueRecipientsWithTheirEnvelopeOnlyOnceUntilTheLeaseExpires() {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        String id = unique("claim");
        String hop = unique("hop");
        queue.enqueue(List.of(message(id, t0, "alice@partner.example", hop, "bob@corp.example", "carol@corp.example")));

        List<ClaimedRecipient> first = claimAllOf(queue, "node-a", t0.plusSeconds(1), id);
        assertThat(first).extracting(ClaimedRecipient::address).containsExactly("bob@corp.example", "carol@corp.example");
        ClaimedRecipient bob = first.get(0);
        assertThat(bob.sender()).isEqualTo("alice@partner.example");
        assertThat(bob.ret()).isEqualTo("HDRS");
        assertThat(bob.envid()).isEqualTo("ENV-" + id);
        assertThat(bob.dsnNotify()).isEqualTo("SUCCESS,FAILURE");
        assertThat(bob.orcpt()).isEqualTo("rfc822;bob@corp.example");
        assertThat(bob.nextHop()).isEqualTo(hop);
        assertThat(bob.receivedAt()).isEqualTo(t0);

        assertThat(claimAllOf(queue, "node-b", t0.plusSeconds(2), id)).as("claimed by node-a").isEmpty();
        assertThat(claimAllOf(queue, "node-b", t0.plusSeconds(120), id)).as("lease of node-a expired").hasSize(2);
    }

    @Test
    default void shouldListWaitingMailPerMessageAndLetAnAdminRetryOrDeleteIt() {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-03-03T10:00:00Z");
        String id = unique("waiting");
        String hop = unique("hop");
        queue.enqueue(List.of(message(id, t0, "alice@partner.example", hop, "bob@corp.example", "carol@corp.example")));
        List<ClaimedRecipient> claimed = claimAllOf(queue, "node-a", t0, id);
        claimed.forEach(r -> queue.retryLater(r.id(), "451 4.3.0 try later", t0.plusSeconds(3600)));

        assertThat(queue.queued(hop, 10)).singleElement().satisfies(q -> {
            assertThat(q.messageId()).isEqualTo(id);
            assertThat(q.recipients()).containsExactly("bob@corp.example", "carol@corp.example");
            assertThat(q.attempts()).isEqualTo(1);
            assertThat(q.nextAttempt()).isEqualTo(t0.plusSeconds(3600));
            assertThat(q.lastReply()).isEqualTo("451 4.3.0 try later");
        });
        assertThat(queue.queued(unique("other-hop"), 10)).isEmpty();

        assertThat(claimAllOf(queue, "node-a", t0.plusSeconds(60), id)).as("not due before the retry").isEmpty();
        assertThat(queue.retryNow(id, t0.plusSeconds(60))).isEqualTo(2);
        List<ClaimedRecipient> retried = claimAllOf(queue, "node-a", t0.plusSeconds(61), id);
        assertThat(retried).as("due at once after retry now").hasSize(2);

        assertThat(queue.deleteQueued(id, t0.plusSeconds(62))).as("both are being delivered right now").isNull();
        assertThat(queue.deleteQueued(id, t0.plusSeconds(61 + 600))).as("after the lease").isNotNull();
        assertThat(queue.queued(hop, 10)).isEmpty();
        assertThat(queue.refreshStatus(id, t0.plusSeconds(700))).isNotIn(MessageStatus.DeliveryPending, MessageStatus.TemporarilyBlocked);
        assertThat(queue.retryNow(id, t0.plusSeconds(701))).as("nothing left to retry").isZero();
    }

    @Test
    default void shouldBounceOnlyTheWaitingRecipientsNoWorkerIsDeliveringAndMarkThemFailed() {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-03-04T10:00:00Z");
        String id = unique("bounce");
        String hop = unique("hop");
        queue.enqueue(List.of(message(id, t0, "alice@partner.example", hop, "bob@corp.example", "carol@corp.example")));
        List<ClaimedRecipient> claimed = claimAllOf(queue, "node-a", t0, id);
        queue.retryLater(claimed.get(0).id(), "451 4.3.0 try later", t0.plusSeconds(3600));

        List<ClaimedRecipient> bounced = queue.bounceQueued(id, "550 5.0.0 Returned by the administrator", t0.plusSeconds(10));
        assertThat(bounced).as("carol is being delivered right now").extracting(ClaimedRecipient::address)
                .containsExactly("bob@corp.example");
        assertThat(bounced.get(0).sender()).isEqualTo("alice@partner.example");
        assertThat(bounced.get(0).contentFile()).isEqualTo(id + ".eml");
        assertThat(queue.queued(hop, 10)).singleElement().satisfies(q -> assertThat(q.recipients()).containsExactly("carol@corp.example"));

        queue.delivered(claimed.get(1).id(), "250 ok", t0.plusSeconds(11));
        assertThat(queue.refreshStatus(id, t0.plusSeconds(12))).isEqualTo(MessageStatus.PartialSuccess);
        assertThat(queue.bounceQueued(id, "550 5.0.0 again", t0.plusSeconds(13))).as("nothing left waiting").isEmpty();
        assertThat(queue.isContentNeeded(id + ".eml")).isFalse();
    }

    @Test
    default void shouldGiveBackTheClaimsOfARestartedNode() {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-03-02T10:00:00Z");
        String id = unique("restart");
        queue.enqueue(List.of(message(id, t0, "alice@partner.example", "hop", "bob@corp.example")));
        String node = unique("node");
        assertThat(claimAllOf(queue, node, t0, id)).hasSize(1);

        assertThat(queue.releaseClaims(node)).isEqualTo(1);

        assertThat(claimAllOf(queue, "other", t0.plusSeconds(1), id)).hasSize(1);
    }

    @Test
    default void shouldNeverHandTheSameRecipientToTwoConcurrentClaimers() throws Exception {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-03-03T10:00:00Z");
        String prefix = unique("race");
        List<NewMessage> messages = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            messages.add(message(prefix + "-" + i, t0, "alice@partner.example", "hop", "r" + i + "@corp.example"));
        }
        queue.enqueue(messages);
        ConcurrentLinkedQueue<Long> claimed = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            String node = "node-" + w;
            workers.add(pool.submit(() -> {
                for (int round = 0; round < 200; round++) {
                    List<ClaimedRecipient> batch = queue.claimDue(node, t0.plusSeconds(1), Duration.ofMinutes(5), 3);
                    batch.stream().filter(r -> r.messageId().startsWith(prefix)).forEach(r -> claimed.add(r.id()));
                    if (batch.isEmpty()) {
                        return;
                    }
                }
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        pool.shutdown();
        assertThat(claimed).hasSize(40).doesNotHaveDuplicates();
    }

    @Test
    default void shouldDeriveTheMessageStatusFromItsRecipients() {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-03-04T10:00:00Z");
        String id = unique("status");
        queue.enqueue(List.of(message(id, t0, "alice@partner.example", "hop", "a@corp.example", "b@corp.example")));
        List<ClaimedRecipient> claimed = claimAllOf(queue, "n", t0, id);

        queue.retryLater(claimed.get(0).id(), "451 4.2.0 busy", t0.plusSeconds(60));
        assertThat(queue.refreshStatus(id, t0)).isEqualTo(MessageStatus.TemporarilyBlocked);
        queue.delivered(claimed.get(1).id(), "250 ok", t0);
        queue.failed(claimed.get(0).id(), "550 5.1.1 unknown", t0);
        assertThat(queue.refreshStatus(id, t0)).isEqualTo(MessageStatus.PartialSuccess);
        assertThat(queue.isContentNeeded(id + ".eml")).isFalse();
    }

    @Test
    default void shouldRetryNotBeforeTheNextAttempt() {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-03-05T10:00:00Z");
        String id = unique("retry");
        queue.enqueue(List.of(message(id, t0, "alice@partner.example", "hop", "a@corp.example")));
        ClaimedRecipient r = claimAllOf(queue, "n", t0, id).get(0);
        queue.retryLater(r.id(), "451 later", t0.plusSeconds(60));

        assertThat(claimAllOf(queue, "n", t0.plusSeconds(59), id)).isEmpty();
        assertThat(claimAllOf(queue, "n", t0.plusSeconds(61), id)).singleElement()
                .satisfies(c -> assertThat(c.attempts()).isEqualTo(1));
    }

    @Test
    default void shouldListQueuesPerNextHopAndHeldMailAndReleaseOrDeleteIt() {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-03-06T10:00:00Z");
        String hop = unique("held-hop");
        String held = unique("held");
        String deleted = unique("deleted");
        queue.enqueue(List.of(message(held, t0, "alice@partner.example", hop, RecipientStatus.HELD, "a@corp.example"),
                message(deleted, t0, "alice@partner.example", hop, RecipientStatus.HELD, "b@corp.example")));

        assertThat(queue.queues()).filteredOn(q -> q.nextHop().equals(hop)).singleElement().satisfies(q -> {
            assertThat(q.messages()).isEqualTo(2);
            assertThat(q.held()).isEqualTo(2);
        });
        assertThat(queue.held()).filteredOn(h -> Set.of(held, deleted).contains(h.messageId()))
                .extracting(HeldMessage::reason).containsOnly("waiting for a certificate");
        assertThat(claimAllOf(queue, "n", t0.plusSeconds(1), held)).as("held mail is not delivered").isEmpty();

        assertThat(queue.release(held, t0.plusSeconds(2))).isEqualTo(1);
        assertThat(claimAllOf(queue, "n", t0.plusSeconds(3), held)).hasSize(1);
        assertThat(queue.deleteHeld(deleted, t0.plusSeconds(2))).containsExactly(deleted + ".eml");
        assertThat(queue.refreshStatus(deleted, t0)).isEqualTo(MessageStatus.PermanentlyBlocked);
        assertThat(queue.deleteHeld(deleted, t0.plusSeconds(2))).as("nothing held any more").isNull();
    }

    /** Claims repeatedly (other tests' rows share the database) and keeps the recipients of one message. */
    private static List<ClaimedRecipient> claimAllOf(QueueRepository queue, String node, Instant now, String messageId) {
        List<ClaimedRecipient> mine = new ArrayList<>();
        List<ClaimedRecipient> others = new ArrayList<>();
        while (true) {
            List<ClaimedRecipient> batch = queue.claimDue(node, now, Duration.ofSeconds(60), 100);
            if (batch.isEmpty()) {
                break;
            }
            batch.forEach(r -> (r.messageId().equals(messageId) ? mine : others).add(r));
        }
        others.forEach(r -> queue.retryLater(r.id(), "parked by test", now.plus(Duration.ofDays(3650))));
        return mine;
    }

    @Test
    default void shouldFindHeldRecipientsByReasonPrefixAndSettleOnlyThoseStillHeld() {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-03-09T10:00:00Z");
        String id = unique("settle");
        String prefix = "waiting for the certificate of " + id + "_x@corp.example ";
        NewMessage held = message(id, t0, "alice@corp.example", "hop", RecipientStatus.HELD, "bob@partner.example", "carol@partner.example");
        List<NewMessage.Recipient> rows = held.recipients().stream()
                .map(r -> new NewMessage.Recipient(r.address(), r.dsnNotify(), r.orcpt(), r.nextHop(), r.contentFile(), r.status(),
                        prefix + "(request 7)"))
                .toList();
        queue.enqueue(List.of(new NewMessage(held.id(), held.receivedAt(), held.envelope(), held.headerFrom(), held.subject(),
                held.size(), "[]", rows)));
        String lookalike = unique("lookalike");
        queue.enqueue(List.of(message(lookalike, t0, "alice@corp.example", "hop", RecipientStatus.HELD, "dave@partner.example")));

        List<HeldRecipient> found = queue.heldWithReason(prefix);
        assertThat(found).extracting(HeldRecipient::address).containsExactly("bob@partner.example", "carol@partner.example");
        assertThat(found.get(0).contentFile()).isEqualTo(id + ".eml");
        assertThat(found.get(0).sender()).isEqualTo("alice@corp.example");
        assertThat(queue.heldWithReason("waiting for the certificate of " + id + "%")).as("% is not a wildcard").isEmpty();

        int settled = queue.settleHeld(id, List.of(
                new NewMessage.Recipient("BOB@partner.example", null, null, null, id + ".2.eml", RecipientStatus.PENDING, "released"),
                new NewMessage.Recipient("carol@partner.example", null, null, null, null, RecipientStatus.FAILED, "550 5.7.1 no")),
                "[{\"operation\":\"sign\",\"result\":\"ok\"}]", t0.plusSeconds(60));

        assertThat(settled).isEqualTo(2);
        assertThat(queue.heldWithReason(prefix)).isEmpty();
        assertThat(queue.isContentNeeded(id + ".2.eml")).isTrue();
        assertThat(queue.isContentNeeded(id + ".eml")).isFalse();
        assertThat(queue.settleHeld(id, List.of(new NewMessage.Recipient("bob@partner.example", null, null, null, id + ".3.eml",
                RecipientStatus.PENDING, "again")), "[]", t0.plusSeconds(61))).as("no longer held").isZero();
        assertThat(queue.refreshStatus(id, t0.plusSeconds(62))).isNotEqualTo(MessageStatus.PutOnHold);
    }

    @Test
    default void shouldStoreEveryMessageOfConcurrentSessionsWithItsRecipients() throws Exception {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-03-10T10:00:00Z");
        String prefix = unique("group");
        ExecutorService sessions = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> accepted = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String id = prefix + "-" + i;
                accepted.add(sessions.submit(() -> queue.enqueue(List.of(
                        message(id, t0, "alice@partner.example", "hop", "bob@corp.example", "carol@corp.example")))));
            }
            for (Future<?> f : accepted) {
                f.get();
            }
        } finally {
            sessions.shutdownNow();
        }

        for (int i = 0; i < 64; i++) {
            String id = prefix + "-" + i;
            assertThat(queue.refreshStatus(id, t0)).as(id).isEqualTo(MessageStatus.DeliveryPending);
            assertThat(queue.isContentNeeded(id + ".eml")).as(id).isTrue();
        }
    }

    @Test
    default void shouldRefuseAMessageTwiceWithoutLosingTheOthersOfItsBatch() throws Exception {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-03-11T10:00:00Z");
        String duplicate = unique("dup");
        queue.enqueue(List.of(message(duplicate, t0, "alice@partner.example", "hop", "bob@corp.example")));
        String prefix = unique("beside");
        ExecutorService sessions = Executors.newFixedThreadPool(8);
        List<Future<?>> others = new ArrayList<>();
        Future<?> again;
        try {
            again = sessions.submit(() -> queue.enqueue(List.of(message(duplicate, t0, "alice@partner.example", "hop", "bob@corp.example"))));
            for (int i = 0; i < 16; i++) {
                String id = prefix + "-" + i;
                others.add(sessions.submit(() -> queue.enqueue(List.of(message(id, t0, "alice@partner.example", "hop", "bob@corp.example")))));
            }
            for (Future<?> f : others) {
                f.get();
            }
            assertThatThrownBy(again::get).hasCauseInstanceOf(org.springframework.dao.DuplicateKeyException.class);
        } finally {
            sessions.shutdownNow();
        }
        for (int i = 0; i < 16; i++) {
            assertThat(queue.isContentNeeded(prefix + "-" + i + ".eml")).isTrue();
        }
    }

    /**
     * New messages and delivery outcomes handed over at the same moment share one commit (ADR 0214):
     * both take effect, and an outcome that fails in the shared commit fails alone, taking none
     * of the messages with it.
     */
    @Test
    default void shouldCommitNewMessagesAndOutcomesTogetherAndFailOnlyTheBrokenOne() throws Exception {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-03-13T10:00:00Z");
        String delivered = unique("shared-delivered");
        String hop = unique("hop");
        queue.enqueue(List.of(message(delivered, t0, "alice@partner.example", hop, "bob@corp.example")));
        ClaimedRecipient bob = claimAllOf(queue, "node-a", t0.plusSeconds(1), delivered).get(0);
        String arriving = unique("shared-new");
        CountDownLatch leading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            // the first caller leads a commit and holds it until the others are lined up behind it
            Future<?> first = threads.submit(() -> queue.recordOutcome(() -> {
                leading.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(leading.await(10, TimeUnit.SECONDS)).isTrue();
            Future<?> message = threads.submit(() -> queue.enqueue(List.of(message(arriving, t0, "carol@partner.example", hop, "dave@corp.example"))));
            Future<?> outcome = threads.submit(() -> queue.recordOutcome(() -> {
                queue.delivered(bob.id(), "250 2.0.0 ok", t0.plusSeconds(2));
                queue.setStatus(delivered, MessageStatus.Success, t0.plusSeconds(2));
            }));
            Future<?> broken = threads.submit(() -> queue.recordOutcome(() -> {
                throw new IllegalStateException("an outcome that cannot be recorded");
            }));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (queue.waitingForCommit() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(queue.waitingForCommit()).as("lined up for one shared commit").isEqualTo(3);
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            message.get(10, TimeUnit.SECONDS);
            outcome.get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> broken.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("an outcome that cannot be recorded");
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
        assertThat(queue.isContentNeeded(arriving + ".eml")).as("the new message").isTrue();
        assertThat(queue.isContentNeeded(delivered + ".eml")).as("the delivered one").isFalse();
        assertThat(queue.refreshStatus(delivered, t0.plusSeconds(3))).isEqualTo(MessageStatus.Success);
    }

    @Test
    default void shouldCommitANoticeWithTheDeliveryTransactionThatWritesIt() {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-03-12T10:00:00Z");
        String rolledBack = unique("notice-rolled-back");
        String committed = unique("notice-committed");

        assertThatThrownBy(() -> queue.inTransaction(() -> {
            queue.enqueue(List.of(message(rolledBack, t0, "", "hop", "alice@partner.example")));
            throw new IllegalStateException("the delivery outcome could not be recorded");
        })).isInstanceOf(IllegalStateException.class);
        queue.inTransaction(() -> queue.enqueue(List.of(message(committed, t0, "", "hop", "alice@partner.example"))));

        assertThat(queue.isContentNeeded(rolledBack + ".eml")).as("rolled back with its delivery").isFalse();
        assertThat(queue.isContentNeeded(committed + ".eml")).isTrue();
    }

    @Test
    default void shouldOfferEachRecipientThatAskedForDelayNoticesOnceAfterTheWarningTime() {
        QueueRepository queue = queue();
        Instant t0 = Instant.parse("2026-03-05T10:00:00Z");
        String old = unique("delay-old");
        String young = unique("delay-young");
        queue.enqueue(List.of(delayMessage(old, t0, "DELAY,FAILURE", "NEVER"), delayMessage(young, t0.plusSeconds(3600), "DELAY", "DELAY")));

        List<QueueRepository.DelayedRecipient> due = queue.dueForDelayNotice(t0.plusSeconds(60), 100).stream()
                .filter(d -> d.recipient().messageId().equals(old) || d.recipient().messageId().equals(young)).toList();

        assertThat(due).singleElement().satisfies(d -> {
            assertThat(d.recipient().messageId()).isEqualTo(old);
            assertThat(d.recipient().address()).isEqualTo("first@corp.example");
            assertThat(d.recipient().sender()).isEqualTo("alice@partner.example");
        });
        assertThat(queue.markDelayNoticeSent(due.get(0).recipient().id(), t0.plusSeconds(60))).isTrue();
        assertThat(queue.markDelayNoticeSent(due.get(0).recipient().id(), t0.plusSeconds(61))).as("at most once").isFalse();
        assertThat(queue.dueForDelayNotice(t0.plusSeconds(60), 100)).noneMatch(d -> d.recipient().messageId().equals(old));
    }

    private static NewMessage delayMessage(String id, Instant at, String firstNotify, String secondNotify) {
        List<dev.sealgate.smtp.EnvelopeRecipient> recipients = List.of(
                new dev.sealgate.smtp.EnvelopeRecipient("first@corp.example", firstNotify, null, null),
                new dev.sealgate.smtp.EnvelopeRecipient("second@corp.example", secondNotify, null, null));
        dev.sealgate.smtp.Envelope envelope = new dev.sealgate.smtp.Envelope("alice@partner.example", null, null, recipients,
                "192.0.2.10", "mx.partner.example", null, null, dev.sealgate.policy.Direction.INBOUND);
        return new NewMessage(id, at, envelope, null, "delayed " + id, 10, null, recipients.stream()
                .map(r -> new NewMessage.Recipient(r.address(), r.dsnNotify(), null, "hop", id + ".eml",
                        dev.sealgate.tracking.RecipientStatus.PENDING, null)).toList());
    }
}
