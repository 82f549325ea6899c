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
            log.info("limit-test", "x".repeat(2000), null);
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
}
