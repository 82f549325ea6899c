package dev.sealgate.tracking;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The gateway's event log. Every event is also written to the application log, so that an admin
 * who only reads log files sees the same thing.
 */
public class EventLog {

    private static final Logger log = LoggerFactory.getLogger(EventLog.class);
    private static final int MAX_MESSAGE = 1000;

    private final JdbcClient jdbc;
    private final Clock clock;

    public EventLog(DataSource dataSource, Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.clock = clock;
    }

    public void info(String source, String message, String details) {
        record(Severity.INFO, source, message, details);
    }

    public void warning(String source, String message, String details) {
        record(Severity.WARNING, source, message, details);
    }

    public void error(String source, String message, String details) {
        record(Severity.ERROR, source, message, details);
    }

    public void record(Severity severity, String source, String message, String details) {
        String bounded = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 1) + "…" : message;
        switch (severity) {
            case ERROR -> log.error("[{}] {}{}", source, bounded, details == null ? "" : " (" + details + ")");
            case WARNING -> log.warn("[{}] {}{}", source, bounded, details == null ? "" : " (" + details + ")");
            case INFO -> log.info("[{}] {}{}", source, bounded, details == null ? "" : " (" + details + ")");
        }
        jdbc.sql("INSERT INTO event_log (occurred_at, severity, source, message, details) VALUES (?, ?, ?, ?, ?)")
                .params(OffsetDateTime.ofInstant(clock.instant(), clock.getZone()), severity.name(), source, bounded, details)
                .update();
    }

    public List<Event> find(EventQuery query) {
        StringBuilder sql = new StringBuilder(
                "SELECT id, occurred_at, severity, source, message, details FROM event_log WHERE 1 = 1");
        Map<String, Object> params = new TreeMap<>();
        if (query.from() != null) {
            sql.append(" AND occurred_at >= :from");
            params.put("from", Timestamp.from(query.from()));
        }
        if (query.to() != null) {
            sql.append(" AND occurred_at < :to");
            params.put("to", Timestamp.from(query.to()));
        }
        if (query.minimumSeverity() != null) {
            List<String> severities = new ArrayList<>();
            for (Severity s : Severity.values()) {
                if (s.compareTo(query.minimumSeverity()) >= 0) {
                    severities.add(s.name());
                }
            }
            sql.append(" AND severity IN (:severities)");
            params.put("severities", severities);
        }
        if (query.source() != null) {
            sql.append(" AND source = :source");
            params.put("source", query.source());
        }
        sql.append(" ORDER BY occurred_at DESC, id DESC LIMIT :limit");
        params.put("limit", query.limit());
        return jdbc.sql(sql.toString()).params(params)
                .query((rs, row) -> new Event(
                        rs.getLong("id"),
                        rs.getTimestamp("occurred_at").toInstant(),
                        Severity.valueOf(rs.getString("severity")),
                        rs.getString("source"),
                        rs.getString("message"),
                        rs.getString("details")))
                .list();
    }

    /** Deletes events older than the given instant; returns how many went. */
    public int deleteOlderThan(Instant cutoff) {
        return jdbc.sql("DELETE FROM event_log WHERE occurred_at < ?").param(Timestamp.from(cutoff)).update();
    }
}
