package dev.sealgate.tracking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Message tracking: search, one record in full, refused relay attempts (when configured), and the
 * retention that keeps the database from growing without end. The rows are the queue's
 * ({@code mail_message}, {@code mail_recipient}, {@code delivery_attempt}): a message's tracking
 * record and its queue state are one thing seen from two sides.
 */
public class TrackingRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    public TrackingRepository(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public List<TrackingRecord.Summary> search(TrackingQuery q) {
        StringBuilder sql = new StringBuilder("SELECT m.id, m.received_at, m.envelope_sender, m.header_from, m.subject,"
                + " m.direction, m.status, (SELECT COUNT(*) FROM mail_recipient c WHERE c.message_id = m.id) AS recipients"
                + " FROM mail_message m WHERE 1 = 1");
        Map<String, Object> params = new TreeMap<>();
        if (q.sender() != null && !q.sender().isBlank()) {
            sql.append(" AND (LOWER(m.envelope_sender) LIKE :sender OR LOWER(m.header_from) LIKE :sender)");
            params.put("sender", like(q.sender()));
        }
        if (q.recipient() != null && !q.recipient().isBlank()) {
            sql.append(" AND EXISTS (SELECT 1 FROM mail_recipient r WHERE r.message_id = m.id AND LOWER(r.address) LIKE :recipient)");
            params.put("recipient", like(q.recipient()));
        }
        if (q.subject() != null && !q.subject().isBlank()) {
            sql.append(" AND LOWER(m.subject) LIKE :subject");
            params.put("subject", like(q.subject()));
        }
        if (q.messageId() != null && !q.messageId().isBlank()) {
            sql.append(" AND m.header_message_id = :messageId");
            params.put("messageId", TrackingQuery.normalMessageId(q.messageId()));
        }
        if (q.from() != null) {
            sql.append(" AND m.received_at >= :from");
            params.put("from", ts(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND m.received_at < :to");
            params.put("to", ts(q.to()));
        }
        if (q.status() != null) {
            sql.append(" AND m.status = :status");
            params.put("status", q.status().name());
        }
        if (q.direction() != null && !q.direction().isBlank()) {
            sql.append(" AND m.direction = :direction");
            params.put("direction", q.direction().toUpperCase(Locale.ROOT));
        }
        sql.append(" ORDER BY m.received_at DESC, m.id DESC LIMIT :limit");
        params.put("limit", q.limit());
        return jdbc.sql(sql.toString()).params(params)
                .query((rs, n) -> new TrackingRecord.Summary(rs.getString("id"), instant(rs, "received_at"),
                        rs.getString("envelope_sender"), rs.getString("header_from"), rs.getString("subject"),
                        rs.getString("direction"), MessageStatus.valueOf(rs.getString("status")), rs.getInt("recipients")))
                .list();
    }

    public Optional<TrackingRecord> find(String id) {
        // The message row first: its status was computed after the recipients and attempts it
        // summarises were written, so reading it first never shows a status ahead of its details.
        Optional<TrackingRecord> message = jdbc.sql("SELECT * FROM mail_message WHERE id = ?").param(id)
                .query((rs, n) -> new TrackingRecord(rs.getString("id"), instant(rs, "received_at"), rs.getString("client_address"),
                        rs.getString("helo"), rs.getString("tls_protocol"), rs.getString("tls_cipher"),
                        rs.getString("envelope_sender"), rs.getString("header_from"), rs.getString("subject"),
                        rs.getString("header_message_id"), rs.getString("direction"), rs.getString("rule_name"), rs.getLong("size_bytes"), rs.getString("dsn_ret"),
                        rs.getString("dsn_envid"), MessageStatus.valueOf(rs.getString("status")), rs.getString("crypto_operations"),
                        instant(rs, "finished_at"), List.of(), List.of(), List.of()))
                .optional();
        if (message.isEmpty()) {
            return message;
        }
        List<TrackingRecord.Recipient> recipients = jdbc.sql("SELECT address, status, status_detail, next_hop, attempts, notify,"
                        + " orcpt, finished_at FROM mail_recipient WHERE message_id = ? ORDER BY id")
                .param(id)
                .query((rs, n) -> new TrackingRecord.Recipient(rs.getString("address"), RecipientStatus.valueOf(rs.getString("status")),
                        rs.getString("status_detail"), rs.getString("next_hop"), rs.getInt("attempts"), rs.getString("notify"),
                        rs.getString("orcpt"), instant(rs, "finished_at")))
                .list();
        List<TrackingRecord.Attempt> attempts = jdbc.sql("SELECT attempted_at, next_hop, recipients, outcome, reply"
                        + " FROM delivery_attempt WHERE message_id = ? ORDER BY attempted_at, id")
                .param(id)
                .query((rs, n) -> new TrackingRecord.Attempt(instant(rs, "attempted_at"), rs.getString("next_hop"),
                        rs.getString("recipients"), rs.getString("outcome"), rs.getString("reply")))
                .list();
        List<Event> events = EventLog.ofMessage(jdbc, id);
        return message.map(m -> m.withDetails(recipients, attempts, events));
    }

    /** Messages received in {@code [since, until)}, counted by direction and by current status. */
    public MailFlow flow(Instant since, Instant until) {
        Map<String, Long> byDirection = new java.util.TreeMap<>();
        Map<MessageStatus, Long> byStatus = new java.util.EnumMap<>(MessageStatus.class);
        Map<String, Map<MessageStatus, Long>> both = new java.util.TreeMap<>();
        long[] received = {0};
        jdbc.sql("SELECT direction, status, COUNT(*) AS n FROM mail_message WHERE received_at >= ? AND received_at < ?"
                        + " GROUP BY direction, status")
                .params(ts(since), ts(until))
                .query(rs -> {
                    long n = rs.getLong("n");
                    received[0] += n;
                    byDirection.merge(rs.getString("direction"), n, Long::sum);
                    MessageStatus status = MessageStatus.valueOf(rs.getString("status"));
                    byStatus.merge(status, n, Long::sum);
                    both.computeIfAbsent(rs.getString("direction"), d -> new java.util.EnumMap<>(MessageStatus.class))
                            .merge(status, n, Long::sum);
                });
        return new MailFlow(since, until, received[0], byDirection, byStatus, both);
    }

    /**
     * The crypto operations of the messages received in {@code [since, until)}, counted per kind
     * (sign, encrypt, decrypt, verify) and result word ({@link CryptoOutcome}): the overview's
     * "signed, encrypted, decrypted, verification failures". A message counts once per operation it
     * recorded (a message encrypted for two recipients counts twice under encrypt).
     */
    public Map<String, Map<String, Long>> cryptoFlow(Instant since, Instant until) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        jdbc.sql("SELECT crypto_operations FROM mail_message WHERE received_at >= ? AND received_at < ?"
                        + " AND crypto_operations IS NOT NULL")
                .params(ts(since), ts(until))
                .query(rs -> {
                    for (var operation : operations(rs.getString("crypto_operations"))) {
                        String kind = CryptoOutcome.kind(operation.path("operation").asString(null));
                        if (kind != null) {
                            counts.computeIfAbsent(kind, k -> new TreeMap<>())
                                    .merge(CryptoOutcome.result(kind, operation.path("result").asString(null)), 1L, Long::sum);
                        }
                    }
                });
        return counts;
    }

    private static Iterable<JsonNode> operations(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            JsonNode array = JSON.readTree(json);
            return array.isArray() ? array : List.of();
        } catch (JacksonException e) {
            return List.of(); // a record written by hand or by an older version: no figures from it
        }
    }

    /**
     * Records a refused relay attempt ("Unable to relay") as a tracking record with status
     * PermanentlyBlocked. Only called when {@code sealgate.tracking.track-invalid-senders-and-recipients} is on.
     */
    public String recordRefusal(String id, Instant at, String clientAddress, String helo, String direction, String sender,
                                String recipient, String reply) {
        jdbc.sql("INSERT INTO mail_message (id, received_at, client_address, helo, envelope_sender, direction, size_bytes,"
                        + " status, status_detail, finished_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)")
                .params(id, ts(at), clientAddress, helo, sender == null ? "" : sender, direction,
                        MessageStatus.PermanentlyBlocked.name(), cut(reply), ts(at))
                .update();
        if (recipient != null) {
            jdbc.sql("INSERT INTO mail_recipient (message_id, address, status, status_detail, finished_at) VALUES (?, ?, ?, ?, ?)")
                    .params(id, recipient, RecipientStatus.FAILED.name(), cut(reply), ts(at))
                    .update();
        }
        return id;
    }

    /**
     * Deletes the tracking records of finished messages received before {@code cutoff} (with
     * their recipients and attempts); messages still in the queue stay. Returns how many went.
     */
    public int deleteFinishedBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM mail_message WHERE received_at < ? AND finished_at IS NOT NULL"
                        + " AND NOT EXISTS (SELECT 1 FROM mail_recipient r WHERE r.message_id = mail_message.id"
                        + " AND r.status IN ('PENDING', 'HELD'))")
                .param(ts(cutoff)).update();
    }

    private static String like(String s) {
        return "%" + s.toLowerCase(Locale.ROOT).replace("%", "").replace("_", "") + "%";
    }

    private static String cut(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 999) + "…";
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime ts(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
