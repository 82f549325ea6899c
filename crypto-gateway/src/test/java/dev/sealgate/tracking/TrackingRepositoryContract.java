package dev.sealgate.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.queue.QueueFixtures;
import dev.sealgate.queue.NewMessage;
import dev.sealgate.queue.QueueRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What message tracking storage must do; run on H2 and on PostgreSQL. */
public interface TrackingRepositoryContract {

    DataSource dataSource();

    private TrackingRepository tracking() {
        return new TrackingRepository(dataSource());
    }

    @Test
    default void shouldCountTheMailFlowOfAWindowByDirectionAndStatus() {
        TrackingRepository tracking = tracking();
        QueueRepository queue = new QueueRepository(dataSource());
        Instant t0 = Instant.parse("2031-05-01T00:00:00Z").plusSeconds(new java.util.Random().nextInt(1_000_000) * 60L);
        queue.enqueue(List.of(QueueFixtures.message("flow-a-" + t0.getEpochSecond(), t0, "a@partner.example", "hop", "bob@corp.example"),
                QueueFixtures.message("flow-b-" + t0.getEpochSecond(), t0.plusSeconds(60), "b@partner.example", "hop", "bob@corp.example")));
        tracking.recordRefusal("flow-c-" + t0.getEpochSecond(), t0.plusSeconds(120), "192.0.2.1", "spam", "INBOUND",
                "c@spam.example", "x@corp.example", "550 5.7.1 Unable to relay");
        queue.enqueue(List.of(QueueFixtures.message("flow-late-" + t0.getEpochSecond(), t0.plusSeconds(3600), "d@partner.example", "hop",
                "bob@corp.example")));

        MailFlow flow = tracking.flow(t0, t0.plusSeconds(3600));

        assertThat(flow.received()).isEqualTo(3);
        assertThat(flow.byStatus()).containsEntry(MessageStatus.PermanentlyBlocked, 1L).containsEntry(MessageStatus.DeliveryPending, 2L);
        assertThat(flow.byDirection().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
        assertThat(tracking.flow(t0.minusSeconds(7200), t0).received()).as("nothing before").isZero();
    }

    @Test
    default void shouldCountTheCryptoOperationsOfAWindowByKindAndResult() {
        TrackingRepository tracking = tracking();
        QueueRepository queue = new QueueRepository(dataSource());
        Instant t0 = Instant.parse("2032-05-01T00:00:00Z").plusSeconds(new java.util.Random().nextInt(1_000_000) * 60L);
        String signed = "crypto-a-" + t0.getEpochSecond();
        String inbound = "crypto-b-" + t0.getEpochSecond();
        String broken = "crypto-c-" + t0.getEpochSecond();
        String outside = "crypto-d-" + t0.getEpochSecond();
        queue.enqueue(List.of(QueueFixtures.message(signed, t0, "a@corp.example", "hop", "x@partner.example"),
                QueueFixtures.message(inbound, t0.plusSeconds(60), "b@partner.example", "hop", "bob@corp.example"),
                QueueFixtures.message(broken, t0.plusSeconds(120), "c@partner.example", "hop", "bob@corp.example"),
                QueueFixtures.message(outside, t0.plusSeconds(7200), "d@corp.example", "hop", "y@partner.example")));
        var jdbc = org.springframework.jdbc.core.simple.JdbcClient.create(dataSource());
        String sql = "UPDATE mail_message SET crypto_operations = ? WHERE id = ?";
        jdbc.sql(sql).params("[{\"operation\":\"sign\",\"result\":\"ok\"},"
                + "{\"operation\":\"encrypt for x@partner.example\",\"result\":\"ok\"},"
                + "{\"operation\":\"encrypt for z@partner.example\",\"result\":\"no certificate for z@partner.example\"}]", signed).update();
        jdbc.sql(sql).params("[{\"operation\":\"decrypt layer 1\",\"result\":\"ok\"},"
                + "{\"operation\":\"verify layer 2\",\"result\":\"untrusted; signer=b@partner.example\"}]", inbound).update();
        jdbc.sql(sql).params("not json at all", broken).update();
        jdbc.sql(sql).params("[{\"operation\":\"sign\",\"result\":\"ok\"}]", outside).update();

        var crypto = tracking.cryptoFlow(t0, t0.plusSeconds(3600));

        assertThat(crypto.get("sign")).containsExactly(java.util.Map.entry("ok", 1L));
        assertThat(crypto.get("encrypt")).containsEntry("ok", 1L).containsEntry("skipped", 1L).hasSize(2);
        assertThat(crypto.get("decrypt")).containsExactly(java.util.Map.entry("ok", 1L));
        assertThat(crypto.get("verify")).containsExactly(java.util.Map.entry("untrusted", 1L));
        assertThat(tracking.cryptoFlow(t0.minusSeconds(7200), t0)).as("nothing before").isEmpty();
    }

    @Test
    default void shouldKeepEverythingAboutAMessageInItsRecord() {
        Instant t0 = Instant.parse("2026-04-01T10:00:00Z");
        String id = "full-" + UUID.randomUUID().toString().substring(0, 13);
        QueueRepository queue = new QueueRepository(dataSource());
        queue.enqueue(List.of(QueueFixtures.message(id, t0, "alice@partner.example", "mail.corp.example:25", "bob@corp.example")));
        queue.recordAttempt(id, t0.plusSeconds(1), "mail.corp.example:25", List.of("bob@corp.example"), "DEFERRED", "451 4.2.0 busy");

        TrackingRecord record = tracking().find(id).orElseThrow();

        assertThat(record.receivedAt()).isEqualTo(t0);
        assertThat(record.clientAddress()).isEqualTo("192.0.2.10");
        assertThat(record.helo()).isEqualTo("mx.partner.example");
        assertThat(record.tlsProtocol()).isEqualTo("TLSv1.3");
        assertThat(record.tlsCipher()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(record.envelopeSender()).isEqualTo("alice@partner.example");
        assertThat(record.headerFrom()).isEqualTo("Alice <alice@partner.example>");
        assertThat(record.direction()).isEqualTo("INBOUND");
        assertThat(record.rule()).isEqualTo("Inbound to own domains");
        assertThat(record.size()).isEqualTo(1234);
        assertThat(record.status()).isEqualTo(MessageStatus.DeliveryPending);
        assertThat(record.recipients()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("bob@corp.example");
            assertThat(r.status()).isEqualTo(RecipientStatus.PENDING);
            assertThat(r.dsnNotify()).isEqualTo("SUCCESS,FAILURE");
        });
        assertThat(record.attempts()).singleElement().satisfies(a -> {
            assertThat(a.reply()).isEqualTo("451 4.2.0 busy");
            assertThat(a.nextHop()).isEqualTo("mail.corp.example:25");
        });
        assertThat(tracking().find("no-such-id")).isEmpty();
    }

    @Test
    default void shouldListTheEventsRaisedForTheMessageInItsRecordAndNoOtherMessagesEvents() {
        Instant t0 = Instant.parse("2026-04-02T10:00:00Z");
        String id = "events-" + UUID.randomUUID().toString().substring(0, 13);
        String other = "events-other-" + UUID.randomUUID().toString().substring(0, 8);
        new QueueRepository(dataSource()).enqueue(List.of(
                QueueFixtures.message(id, t0, "alice@partner.example", "mail.corp.example:25", "bob@corp.example")));
        EventLog events = new EventLog(dataSource(), java.time.Clock.fixed(t0, java.time.ZoneOffset.UTC));
        events.warning("crypto", "Accepted a weak signature from partner.example", "SHA-1", MessageReference.of(id, "m1@partner.example"));
        events.error("queue", "Could not create the delivery status notification", "disk full", MessageReference.of(id, null));
        events.warning("crypto", "Accepted a weak signature from partner.example", "SHA-1", MessageReference.of(other, "m2@partner.example"));
        events.warning("smtp", "Could not secure an inbound connection with the host 192.0.2.7", null);

        TrackingRecord record = tracking().find(id).orElseThrow();

        assertThat(record.events()).extracting(Event::source, Event::trackingId).containsExactly(
                org.assertj.core.groups.Tuple.tuple("crypto", id), org.assertj.core.groups.Tuple.tuple("queue", id));
        assertThat(record.withoutSubject().events()).hasSize(2);
    }

    @Test
    default void shouldSearchBySenderRecipientTimeStatusAndDirection() {
        Instant t0 = Instant.parse("2026-04-02T10:00:00Z");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        QueueRepository queue = new QueueRepository(dataSource());
        queue.enqueue(List.of(
                QueueFixtures.message("s1-" + tag, t0, "alice-" + tag + "@partner.example", "hop", "bob-" + tag + "@corp.example"),
                QueueFixtures.message("s2-" + tag, t0.plusSeconds(60), "carol-" + tag + "@partner.example", "hop", "bob-" + tag + "@corp.example"),
                QueueFixtures.message("s3-" + tag, t0.plusSeconds(120), "alice-" + tag + "@partner.example", "hop", "dave-" + tag + "@corp.example")));
        tracking().recordRefusal("s4-" + tag, t0.plusSeconds(30), "198.51.100.7", "spam.example", "INBOUND",
                "x-" + tag + "@spam.example", "victim-" + tag + "@elsewhere.example", "550 5.7.1 Unable to relay: recipient ...");

        assertThat(tracking().search(new TrackingQuery("ALICE-" + tag, null, null, null, null, null, 10)))
                .extracting(TrackingRecord.Summary::id).containsExactly("s3-" + tag, "s1-" + tag);
        assertThat(tracking().search(new TrackingQuery(null, "bob-" + tag, t0.plusSeconds(1), null, null, null, 10)))
                .extracting(TrackingRecord.Summary::id).containsExactly("s2-" + tag);
        assertThat(tracking().search(new TrackingQuery(null, tag, null, null, MessageStatus.PermanentlyBlocked, "inbound", 10)))
                .extracting(TrackingRecord.Summary::id).containsExactly("s4-" + tag);
        assertThat(tracking().search(new TrackingQuery(null, tag, null, null, null, "OUTBOUND", 10))).isEmpty();
    }

    @Test
    default void shouldSearchBySubjectPartAndByTheWholeMessageId() {
        Instant t0 = Instant.parse("2026-04-03T10:00:00Z");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        QueueRepository queue = new QueueRepository(dataSource());
        NewMessage first = QueueFixtures.message("m1-" + tag, t0, "alice@partner.example", "hop", "bob@corp.example");
        NewMessage second = QueueFixtures.message("m2-" + tag, t0.plusSeconds(60), "alice@partner.example", "hop", "bob@corp.example");
        queue.enqueue(List.of(
                new NewMessage(first.id(), first.receivedAt(), first.envelope(), first.headerFrom(), "Quarterly Report " + tag,
                        first.size(), null, first.recipients(), "q1-" + tag + "@partner.example"),
                new NewMessage(second.id(), second.receivedAt(), second.envelope(), second.headerFrom(), "Lunch " + tag,
                        second.size(), null, second.recipients(), "q2-" + tag + "@partner.example")));

        assertThat(tracking().search(new TrackingQuery(null, null, null, null, null, null, 10, "quarterly REPORT " + tag, null)))
                .extracting(TrackingRecord.Summary::id).containsExactly("m1-" + tag);
        assertThat(tracking().search(new TrackingQuery(null, null, null, null, null, null, 10, null, " <q2-" + tag + "@partner.example> ")))
                .extracting(TrackingRecord.Summary::id).containsExactly("m2-" + tag);
        assertThat(tracking().search(new TrackingQuery(null, null, null, null, null, null, 10, null, "q2-" + tag)))
                .as("a Message-ID is matched whole, not in part").isEmpty();
        assertThat(tracking().find("m2-" + tag)).get().extracting(TrackingRecord::headerMessageId)
                .isEqualTo("q2-" + tag + "@partner.example");
    }

    @Test
    default void shouldDeleteFinishedRecordsOlderThanTheRetentionButKeepQueuedMail() {
        Instant old = Instant.parse("2020-01-01T10:00:00Z");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        QueueRepository queue = new QueueRepository(dataSource());
        queue.enqueue(List.of(QueueFixtures.message("pending-" + tag, old, "a@partner.example", "hop", "b@corp.example")));
        tracking().recordRefusal("refused-" + tag, old, "198.51.100.7", "spam.example", "INBOUND", "x@spam.example",
                "y@elsewhere.example", "550 5.7.1 Unable to relay");
        tracking().recordRefusal("recent-" + tag, Instant.now(), "198.51.100.7", "spam.example", "INBOUND", "x@spam.example",
                "y@elsewhere.example", "550 5.7.1 Unable to relay");

        assertThat(tracking().deleteFinishedBefore(Instant.now().minus(Duration.ofDays(30)))).isGreaterThanOrEqualTo(1);

        assertThat(tracking().find("refused-" + tag)).isEmpty();
        assertThat(tracking().find("pending-" + tag)).isPresent();
        assertThat(tracking().find("recent-" + tag)).isPresent();
    }
}
