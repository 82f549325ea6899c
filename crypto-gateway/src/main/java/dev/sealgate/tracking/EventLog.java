package dev.sealgate.tracking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The gateway's event log. Every event is also written to the application log, so that an admin
 * who only reads log files sees the same thing.
 *
 * <p>It cannot be flooded: an event identical to one recorded in the current aggregation window
 * (same severity, source and message; messages name the client, so this is "per source") only
 * counts up that entry's {@code occurrences} and keeps the latest details. The application log gets
 * the first occurrence and then the 2nd, 4th, 8th, ... with the count, so a flood costs it a
 * logarithmic number of lines. An event raised on behalf of one message ({@link MessageReference})
 * names it and is identical only to events of the same message (ADR 0200): a message's tracking
 * detail lists all of its events, and the retries of one message still count up in one entry. A
 * standing condition ({@link #raise}) can be marked
 * {@link #resolve resolved} when its cause is gone.
 *
 * <p>Text is stored as printable text: NUL and other control characters (which PostgreSQL refuses in
 * a text column, and which would forge log lines) are shown as {@code \xNN}.
 */
public class EventLog {

    /** How long identical events are counted in one entry unless configured otherwise. */
    public static final Duration DEFAULT_AGGREGATION_WINDOW = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(EventLog.class);
    private static final int MAX_MESSAGE = 1000;
    private static final int MAX_DETAILS = 8000;
    private static final int MAX_TRACKING_ID = 64;
    private static final int MAX_MESSAGE_ID = 998;
    private static final String COLUMNS = "id, occurred_at, severity, source, message, details, occurrences, last_occurred_at,"
            + " condition_key, resolved_at, resolution, tracking_id, message_id";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration window;

    public EventLog(DataSource dataSource, Clock clock) {
        this(dataSource, clock, DEFAULT_AGGREGATION_WINDOW);
    }

    /** @param window how long identical events are counted in one entry (from its first occurrence) */
    public EventLog(DataSource dataSource, Clock clock, Duration window) {
        this.jdbc = JdbcClient.create(dataSource);
        this.clock = clock;
        this.window = window;
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
        write(null, severity, source, message, details, null);
    }

    /** An event raised on behalf of one message, which it names; see {@link MessageReference}. */
    public void record(Severity severity, String source, String message, String details, MessageReference about) {
        write(null, severity, source, message, details, about);
    }

    public void warning(String source, String message, String details, MessageReference about) {
        record(Severity.WARNING, source, message, details, about);
    }

    public void error(String source, String message, String details, MessageReference about) {
        record(Severity.ERROR, source, message, details, about);
    }

    /**
     * Records an event that reports a standing condition (e.g. {@code startup.no-own-domains}),
     * which {@link #resolve} later marks as gone. Raising it again while it stands counts it up.
     */
    public void raise(String condition, Severity severity, String source, String message, String details) {
        write(condition, severity, source, message, details, null);
    }

    /**
     * Marks every standing event of the condition resolved, saying what resolved it; returns how
     * many were. Nothing happens when the condition was never raised or is already resolved.
     */
    public int resolve(String condition, String resolution) {
        int resolved = jdbc.sql("UPDATE event_log SET resolved_at = ?, resolution = ? WHERE condition_key = ? AND resolved_at IS NULL")
                .params(now(), bound(printable(resolution), MAX_MESSAGE), condition)
                .update();
        if (resolved > 0) {
            log.info("[events] {} event(s) of condition {} resolved: {}", resolved, condition, resolution);
        }
        return resolved;
    }

    private void write(String condition, Severity severity, String source, String message, String details, MessageReference about) {
        String text = bound(printable(message), MAX_MESSAGE);
        String more = details == null ? null : bound(printable(details), MAX_DETAILS);
        String trackingId = about == null ? null : bound(printable(about.trackingId()), MAX_TRACKING_ID);
        String messageId = about == null ? null : bound(printable(about.messageId()), MAX_MESSAGE_ID);
        String fingerprint = fingerprint(severity, source, text, trackingId);
        OffsetDateTime now = now();
        Optional<long[]> open = jdbc.sql("SELECT id, occurrences FROM event_log WHERE fingerprint = ? AND occurred_at >= ?"
                        + " AND resolved_at IS NULL ORDER BY id DESC LIMIT 1")
                .params(fingerprint, now.minus(window))
                .query((rs, row) -> new long[] {rs.getLong(1), rs.getLong(2)}).optional();
        if (open.isPresent() && jdbc.sql("UPDATE event_log SET occurrences = occurrences + 1, last_occurred_at = ?, details = ?"
                + " WHERE id = ? AND resolved_at IS NULL").params(now, more, open.get()[0]).update() == 1) {
            long occurrences = open.get()[1] + 1;
            if (Long.bitCount(occurrences) == 1) {
                logLine(severity, source, text + " (" + occurrences + " times since the first in this entry)", more);
            }
            return;
        }
        logLine(severity, source, text, more);
        jdbc.sql("INSERT INTO event_log (occurred_at, severity, source, message, details, occurrences, last_occurred_at, fingerprint,"
                        + " condition_key, tracking_id, message_id) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)")
                .params(now, severity.name(), source, text, more, now, fingerprint, condition, trackingId, messageId)
                .update();
    }

    public List<Event> find(EventQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM event_log WHERE 1 = 1");
        Map<String, Object> params = new TreeMap<>();
        if (query.from() != null) {
            sql.append(" AND last_occurred_at >= :from");
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
        if (query.message() != null && !query.message().isBlank()) {
            // a tracking id is a Message-ID's shape too (no brackets needed): either column may name it
            sql.append(" AND (tracking_id = :trackingId OR message_id = :messageId)");
            String normal = TrackingQuery.normalMessageId(query.message());
            params.put("trackingId", query.message().strip());
            params.put("messageId", normal == null ? query.message().strip() : normal);
        }
        if (query.unresolved() != null) {
            sql.append(query.unresolved() ? " AND resolved_at IS NULL" : " AND resolved_at IS NOT NULL");
        }
        sql.append(" ORDER BY last_occurred_at DESC, id DESC LIMIT :limit");
        params.put("limit", query.limit());
        return jdbc.sql(sql.toString()).params(params).query(EventLog::event).list();
    }

    /** The events raised for the message with this tracking id, oldest first (for its tracking record). */
    static List<Event> ofMessage(JdbcClient jdbc, String trackingId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM event_log WHERE tracking_id = ? ORDER BY occurred_at, id LIMIT 1000")
                .param(trackingId).query(EventLog::event).list();
    }

    private static Event event(ResultSet rs, int row) throws SQLException {
        return new Event(
                rs.getLong("id"),
                rs.getTimestamp("occurred_at").toInstant(),
                Severity.valueOf(rs.getString("severity")),
                rs.getString("source"),
                rs.getString("message"),
                rs.getString("details"),
                rs.getInt("occurrences"),
                rs.getTimestamp("last_occurred_at").toInstant(),
                rs.getString("condition_key"),
                rs.getTimestamp("resolved_at") == null ? null : rs.getTimestamp("resolved_at").toInstant(),
                rs.getString("resolution"),
                rs.getString("tracking_id"),
                rs.getString("message_id"));
    }

    /** Deletes events that last happened before the given instant; returns how many went. */
    public int deleteOlderThan(Instant cutoff) {
        return jdbc.sql("DELETE FROM event_log WHERE last_occurred_at < ?").param(Timestamp.from(cutoff)).update();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), clock.getZone());
    }

    private static void logLine(Severity severity, String source, String message, String details) {
        String suffix = details == null ? "" : " (" + details + ")";
        switch (severity) {
            case ERROR -> log.error("[{}] {}{}", source, message, suffix);
            case WARNING -> log.warn("[{}] {}{}", source, message, suffix);
            case INFO -> log.info("[{}] {}{}", source, message, suffix);
        }
    }

    /** Control characters (NUL above all) as {@code \xNN}; tab and line breaks of details stay. */
    static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
            if (control && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (control) {
                    out.append(String.format("\\x%02X", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static String bound(String text, int max) {
        if (text == null) {
            return null;
        }
        return text.length() > max ? text.substring(0, max - 1) + "…" : text;
    }

    /** What makes events identical: severity, source, message and, for an event of one message, that message. */
    private static String fingerprint(Severity severity, String source, String message, String trackingId) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            String identity = severity + "\n" + source + "\n" + message + (trackingId == null ? "" : "\n" + trackingId);
            byte[] digest = sha256.digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
