package dev.sealgate.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What every storage of the event log must do; run on H2 and on PostgreSQL. */
public interface EventLogContract {

    DataSource dataSource();

    private EventLog eventLogAt(Instant now) {
        return new EventLog(dataSource(), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    default void shouldReturnEventsNewestFirstWithAllFields() {
        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        eventLogAt(t0).warning("smtp", "Could not secure an inbound connection with the host 192.0.2.7", "no shared cipher");
        eventLogAt(t0.plusSeconds(60)).error("enrollment", "SwissSign refused the request", null);

        List<Event> events = eventLogAt(t0).find(new EventQuery(t0, t0.plusSeconds(61), null, null, 10));

        assertThat(events).extracting(Event::source).containsExactly("enrollment", "smtp");
        Event smtp = events.get(1);
        assertThat(smtp.severity()).isEqualTo(Severity.WARNING);
        assertThat(smtp.occurredAt()).isEqualTo(t0);
        assertThat(smtp.message()).startsWith("Could not secure an inbound connection");
        assertThat(smtp.details()).isEqualTo("no shared cipher");
    }

    @Test
    default void shouldFilterBySeveritySourceAndTime() {
        Instant t0 = Instant.parse("2026-02-01T10:00:00Z");
        EventLog log = eventLogAt(t0);
        log.info("queue", "queue started", null);
        log.warning("queue", "next hop slow", null);
        log.error("smtp", "listener failed", null);
        eventLogAt(t0.plus(Duration.ofDays(1))).error("queue", "later", null);

        EventQuery warningsOfQueueOnDayOne = new EventQuery(t0, t0.plus(Duration.ofHours(1)), Severity.WARNING, "queue", 10);

        assertThat(log.find(warningsOfQueueOnDayOne)).extracting(Event::message).containsExactly("next hop slow");
    }

    @Test
    default void shouldLimitAndBoundLongMessages() {
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        EventLog log = eventLogAt(t0);
        for (int i = 0; i < 5; i++) {
            log.info("limit-test", i + "x".repeat(2000), null);
        }

        List<Event> events = log.find(new EventQuery(null, null, null, "limit-test", 3));

        assertThat(events).hasSize(3);
        assertThat(events.get(0).message()).hasSize(1000).endsWith("…");
    }

    @Test
    default void shouldDeleteEventsOlderThanCutoff() {
        // Before every other test's events, so the cutoff removes only this test's old one.
        Instant t0 = Instant.parse("2020-04-01T10:00:00Z");
        eventLogAt(t0).info("retention", "old", null);
        eventLogAt(t0.plus(Duration.ofDays(40))).info("retention", "new", null);

        int deleted = eventLogAt(t0).deleteOlderThan(t0.plus(Duration.ofDays(10)));

        assertThat(deleted).isEqualTo(1);
        assertThat(eventLogAt(t0).find(new EventQuery(null, null, null, "retention", 10)))
                .extracting(Event::message).containsExactly("new");
    }

    @Test
    default void shouldCountIdenticalEventsInOneEntryPerWindowAndKeepTheLatestDetails() {
        Instant t0 = Instant.parse("2026-05-01T10:00:00Z");
        for (int i = 0; i < 50; i++) {
            eventLogAt(t0.plusSeconds(i)).warning("admin-api", "Wrong admin API key from 192.0.2.9", "attempt " + i);
        }
        eventLogAt(t0.plusSeconds(5)).warning("admin-api", "Wrong admin API key from 192.0.2.10", "attempt 0");

        List<Event> events = eventLogAt(t0).find(new EventQuery(t0, t0.plus(Duration.ofHours(1)), null, "admin-api", 10));

        assertThat(events).hasSize(2);
        Event flood = events.stream().filter(e -> e.message().endsWith("192.0.2.9")).findFirst().orElseThrow();
        assertThat(flood.occurrences()).isEqualTo(50);
        assertThat(flood.occurredAt()).isEqualTo(t0);
        assertThat(flood.lastOccurredAt()).isEqualTo(t0.plusSeconds(49));
        assertThat(flood.details()).isEqualTo("attempt 49");
        assertThat(events).filteredOn(e -> e.message().endsWith("192.0.2.10")).singleElement()
                .satisfies(e -> assertThat(e.occurrences()).isEqualTo(1));
    }

    @Test
    default void shouldStartANewEntryWhenTheWindowIsOver() {
        Instant t0 = Instant.parse("2026-05-02T10:00:00Z");
        EventLog tenMinutes = new EventLog(dataSource(), Clock.fixed(t0, ZoneOffset.UTC), Duration.ofMinutes(10));
        tenMinutes.error("window-test", "STARTTLS failed for 192.0.2.7", null);
        tenMinutes.error("window-test", "STARTTLS failed for 192.0.2.7", null);
        new EventLog(dataSource(), Clock.fixed(t0.plus(Duration.ofMinutes(11)), ZoneOffset.UTC), Duration.ofMinutes(10))
                .error("window-test", "STARTTLS failed for 192.0.2.7", null);

        assertThat(eventLogAt(t0).find(new EventQuery(null, null, null, "window-test", 10)))
                .extracting(Event::occurrences).containsExactly(1, 2);
    }

    @Test
    default void shouldResolveAStandingConditionAndRaiseItAnewAfterwards() {
        Instant t0 = Instant.parse("2026-05-03T10:00:00Z");
        EventLog log = eventLogAt(t0);
        log.raise("test.no-own-domains", Severity.WARNING, "condition-test", "No own domains configured", null);
        log.info("condition-test", "an unrelated one-off event", null);

        int resolved = eventLogAt(t0.plusSeconds(60)).resolve("test.no-own-domains", "sealgate.domains is set: corp.example");

        assertThat(resolved).isEqualTo(1);
        assertThat(log.find(new EventQuery(null, null, null, "condition-test", 10, false))).singleElement().satisfies(e -> {
            assertThat(e.condition()).isEqualTo("test.no-own-domains");
            assertThat(e.resolvedAt()).isEqualTo(t0.plusSeconds(60));
            assertThat(e.resolution()).contains("corp.example");
        });
        assertThat(log.find(new EventQuery(null, null, null, "condition-test", 10, true)))
                .extracting(Event::message).containsExactly("an unrelated one-off event");
        assertThat(eventLogAt(t0.plusSeconds(61)).resolve("test.no-own-domains", "again")).isZero();

        eventLogAt(t0.plusSeconds(120)).raise("test.no-own-domains", Severity.WARNING, "condition-test", "No own domains configured", null);
        assertThat(log.find(new EventQuery(null, null, null, "condition-test", 10, true)))
                .extracting(Event::message).contains("No own domains configured");
    }

    @Test
    default void shouldStoreNulAndOtherControlCharactersAsPrintableText() {
        Instant t0 = Instant.parse("2026-05-04T10:00:00Z");
        EventLog log = eventLogAt(t0);
        log.warning("nul-test", "Refused sender <a\u0000b@x.example> with \u001b[31m", "details\u0000with NUL\nand a line");

        assertThat(log.find(new EventQuery(null, null, null, "nul-test", 10))).singleElement().satisfies(e -> {
            assertThat(e.message()).isEqualTo("Refused sender <a\\x00b@x.example> with \\x1B[31m");
            assertThat(e.details()).isEqualTo("details\\x00with NUL\nand a line");
        });
    }

    @Test
    default void shouldKeepAnAggregatedEntryWhileItsLastOccurrenceIsWithinRetention() {
        Instant t0 = Instant.parse("2030-06-01T10:00:00Z");
        EventLog log = new EventLog(dataSource(), Clock.fixed(t0, ZoneOffset.UTC), Duration.ofDays(30));
        log.info("retention-aggregate", "repeated", null);
        new EventLog(dataSource(), Clock.fixed(t0.plus(Duration.ofDays(20)), ZoneOffset.UTC), Duration.ofDays(30))
                .info("retention-aggregate", "repeated", null);

        eventLogAt(t0).deleteOlderThan(t0.plus(Duration.ofDays(10)));

        assertThat(eventLogAt(t0).find(new EventQuery(null, null, null, "retention-aggregate", 10)))
                .singleElement().satisfies(e -> assertThat(e.occurrences()).isEqualTo(2));
    }

    @Test
    default void shouldNameTheMessageAnEventWasRaisedForAndFindItByTrackingIdOrMessageId() {
        Instant t0 = Instant.parse("2026-07-01T10:00:00Z");
        EventLog log = eventLogAt(t0);
        log.warning("message-ref", "Refused an inbound message from <p@partner.example>", "bad CMS",
                MessageReference.of("Q-ref-1", "<abc.1@partner.example>"));
        log.warning("message-ref", "Could not secure an inbound connection with the host 192.0.2.7", null);

        assertThat(log.find(EventQuery.ofMessage("Q-ref-1", 10))).singleElement().satisfies(e -> {
            assertThat(e.trackingId()).isEqualTo("Q-ref-1");
            assertThat(e.messageId()).isEqualTo("abc.1@partner.example");
            assertThat(e.details()).isEqualTo("bad CMS");
        });
        assertThat(log.find(EventQuery.ofMessage("<abc.1@partner.example>", 10))).extracting(Event::trackingId).containsExactly("Q-ref-1");
        assertThat(log.find(EventQuery.ofMessage("  abc.1@partner.example ", 10))).hasSize(1);
        assertThat(log.find(EventQuery.ofMessage("Q-ref-unknown", 10))).isEmpty();
        assertThat(log.find(new EventQuery(null, null, null, "message-ref", 10)))
                .filteredOn(e -> e.message().startsWith("Could not secure")).singleElement()
                .satisfies(e -> assertThat(e.trackingId()).isNull());
    }

    @Test
    default void shouldNotCountTheSameEventOfTwoMessagesTogetherButTheRepeatsOfOneMessage() {
        Instant t0 = Instant.parse("2026-07-02T10:00:00Z");
        String text = "Refused mail from a@corp.example: signing is required and its certificate could not be enrolled";
        for (int i = 0; i < 3; i++) {
            eventLogAt(t0.plusSeconds(i)).warning("message-aggregation", text, "attempt " + i, MessageReference.of("Q-agg-1", "one@corp.example"));
        }
        eventLogAt(t0.plusSeconds(10)).warning("message-aggregation", text, "other", MessageReference.of("Q-agg-2", "two@corp.example"));

        List<Event> events = eventLogAt(t0).find(new EventQuery(null, null, null, "message-aggregation", 10));

        assertThat(events).extracting(Event::trackingId, Event::occurrences).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("Q-agg-1", 3), org.assertj.core.groups.Tuple.tuple("Q-agg-2", 1));
        assertThat(eventLogAt(t0).find(EventQuery.ofMessage("Q-agg-1", 10))).singleElement()
                .satisfies(e -> assertThat(e.details()).isEqualTo("attempt 2"));
    }

    @Test
    default void shouldKeepAHostileMessageIdAsPrintableTextAndStillFindIt() {
        Instant t0 = Instant.parse("2026-07-03T10:00:00Z");
        EventLog log = eventLogAt(t0);
        log.error("message-hostile", "pipeline failed", null, MessageReference.of("Q-hostile", "<x\u0000'; DROP TABLE event_log;--@evil>"));

        assertThat(log.find(EventQuery.ofMessage("Q-hostile", 10))).singleElement()
                .satisfies(e -> assertThat(e.messageId()).isEqualTo("x\\x00'; DROP TABLE event_log;--@evil"));
        assertThat(log.find(EventQuery.ofMessage("x'; DROP TABLE event_log;--@evil", 10))).isEmpty();
        assertThat(log.find(new EventQuery(null, null, null, "message-hostile", 10))).hasSize(1);
    }
}
