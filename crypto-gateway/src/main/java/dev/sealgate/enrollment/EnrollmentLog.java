package dev.sealgate.enrollment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The enrollment log in the shared database: one row per request to a certificate provider. */
public class EnrollmentLog {

    private static final String COLUMNS = "id, created_at, updated_at, address, request_type, request_status, "
            + "failure_status, error_text, provider, subject, order_id, order_submitted_at, certificate_id, attempt, retry_at";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public EnrollmentLog(DataSource dataSource, Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.clock = clock;
    }

    /** Records a new pending request and returns it. */
    public EnrollmentRecord start(String address, RequestType type, String provider, String subject, int attempt) {
        String id = UUID.randomUUID().toString();
        OffsetDateTime now = now();
        jdbc.sql("INSERT INTO enrollment_request (id, created_at, updated_at, address, request_type, request_status, provider, "
                        + "subject, attempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(id, now, now, address, type.name(), RequestStatus.PENDING.name(), provider, subject, attempt)
                .update();
        return get(id).orElseThrow();
    }

    /**
     * Records a new pending request, unless another request holds the address right now (on this
     * node or another): then empty. The new request holds the address until {@link #release} or
     * {@code holdUntil}, whichever comes first; the hold and the request row commit together, so
     * whoever finds the address held finds the request that holds it ({@link #holder}).
     */
    public Optional<EnrollmentRecord> startExclusive(String address, RequestType type, String provider, String subject,
                                                     int attempt, Instant holdUntil) {
        String id = UUID.randomUUID().toString();
        OffsetDateTime now = now();
        Boolean started = transactions.execute(status -> {
            int held = jdbc.sql("INSERT INTO enrollment_lock (address, request_id, held_until) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                    .params(address, id, utc(holdUntil)).update();
            if (held == 0) {
                held = jdbc.sql("UPDATE enrollment_lock SET request_id = ?, held_until = ? WHERE address = ? AND held_until < ?")
                        .params(id, utc(holdUntil), address, now).update();
            }
            if (held == 0) {
                return false;
            }
            jdbc.sql("INSERT INTO enrollment_request (id, created_at, updated_at, address, request_type, request_status, provider, "
                            + "subject, attempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(id, now, now, address, type.name(), RequestStatus.PENDING.name(), provider, subject, attempt)
                    .update();
            return true;
        });
        return Boolean.TRUE.equals(started) ? get(id) : Optional.empty();
    }

    /** The request that holds the address now, if any. */
    public Optional<EnrollmentRecord> holder(String address) {
        return jdbc.sql("SELECT request_id FROM enrollment_lock WHERE address = ? AND held_until >= ?")
                .params(address, now()).query(String.class).optional().flatMap(this::get);
    }

    /** Ends the hold of the request on its address (it was sent; a pending order is found by {@link #inFlight}). */
    public void release(String address, String requestId) {
        jdbc.sql("DELETE FROM enrollment_lock WHERE address = ? AND request_id = ?").params(address, requestId).update();
    }

    /** How many requests one provider ended (or left pending) with one status. */
    public record Outcome(String provider, RequestType type, RequestStatus status, long count) {
    }

    /** Requests last updated at or after {@code since}, counted per provider, type and status. */
    public List<Outcome> outcomesSince(Instant since) {
        return jdbc.sql("SELECT provider, request_type, request_status, COUNT(*) AS n FROM enrollment_request WHERE updated_at >= ?"
                        + " GROUP BY provider, request_type, request_status")
                .param(utc(since))
                .query((rs, n) -> new Outcome(rs.getString("provider"), RequestType.valueOf(rs.getString("request_type")),
                        RequestStatus.valueOf(rs.getString("request_status")), rs.getLong("n")))
                .list();
    }

    public Optional<EnrollmentRecord> get(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM enrollment_request WHERE id = ?").param(id).query(this::row).optional();
    }

    public List<EnrollmentRecord> find(EnrollmentQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM enrollment_request WHERE 1 = 1");
        Map<String, Object> params = new TreeMap<>();
        if (query.address() != null && !query.address().isBlank()) {
            sql.append(" AND LOWER(address) = :address");
            params.put("address", query.address().trim().toLowerCase(java.util.Locale.ROOT));
        }
        if (query.status() != null) {
            sql.append(" AND request_status = :status");
            params.put("status", query.status().name());
        }
        if (query.type() != null) {
            sql.append(" AND request_type = :type");
            params.put("type", query.type().name());
        }
        sql.append(" ORDER BY created_at DESC, id LIMIT :limit");
        params.put("limit", query.limit());
        return jdbc.sql(sql.toString()).params(params).query(this::row).list();
    }

    void orderPlaced(String id, String orderId, Instant submittedAt, byte[] sealedKey, String keyAlgorithm) {
        jdbc.sql("UPDATE enrollment_request SET order_id = ?, order_submitted_at = ?, pending_key = ?, "
                        + "pending_key_algorithm = ?, updated_at = ? WHERE id = ?")
                .params(orderId, utc(submittedAt), sealedKey, keyAlgorithm, now(), id).update();
    }

    /**
     * Marks a request done. {@code issuedSubject}, when given, replaces the requested subject name:
     * the log shows the subject of the certificate the CA really issued (a CA may rewrite it).
     */
    void succeeded(String id, Long certificateId, String issuedSubject) {
        jdbc.sql("UPDATE enrollment_request SET request_status = ?, certificate_id = ?, subject = COALESCE(?, subject),"
                        + " pending_key = NULL, claimed_until = NULL, updated_at = ? WHERE id = ?")
                .params(RequestStatus.SUCCEEDED.name(), certificateId, issuedSubject, now(), id).update();
    }

    void failed(String id, FailureStatus failure, String errorText, Instant retryAt) {
        jdbc.sql("UPDATE enrollment_request SET request_status = ?, failure_status = ?, error_text = ?, retry_at = ?, "
                        + "pending_key = NULL, claimed_until = NULL, updated_at = ? WHERE id = ?")
                .params(RequestStatus.FAILED.name(), failure.name(), errorText, retryAt == null ? null : utc(retryAt), now(), id)
                .update();
    }

    void touched(String id) {
        jdbc.sql("UPDATE enrollment_request SET claimed_until = NULL, updated_at = ? WHERE id = ?").params(now(), id).update();
    }

    /** The sealed private key of a pending request and its algorithm. */
    Optional<Map.Entry<byte[], String>> pendingKey(String id) {
        return jdbc.sql("SELECT pending_key, pending_key_algorithm FROM enrollment_request WHERE id = ? AND pending_key IS NOT NULL")
                .param(id)
                .query((rs, n) -> Map.entry(rs.getBytes(1), rs.getString(2))).optional();
    }

    /**
     * Claims the request for this node until {@code until}; false when another node holds it. Works
     * the same on H2 and PostgreSQL (a conditional update, no row locks held).
     */
    boolean claim(String id, Instant until) {
        return jdbc.sql("UPDATE enrollment_request SET claimed_until = ? WHERE id = ? "
                        + "AND (claimed_until IS NULL OR claimed_until < ?)")
                .params(utc(until), id, now()).update() == 1;
    }

    /** Pending requests with an order to ask about. */
    List<EnrollmentRecord> pendingOrders() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM enrollment_request WHERE request_status = 'PENDING' "
                        + "AND order_id IS NOT NULL ORDER BY created_at")
                .query(this::row).list();
    }

    /** Failed requests whose retry is due. */
    List<EnrollmentRecord> retriesDue() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM enrollment_request WHERE request_status = 'FAILED' "
                        + "AND retry_at IS NOT NULL AND retry_at <= ? ORDER BY retry_at")
                .param(now()).query(this::row).list();
    }

    /** The retry of a failed request is being made (or given up): it is not due any more. */
    void retryTaken(String id) {
        jdbc.sql("UPDATE enrollment_request SET retry_at = NULL, claimed_until = NULL WHERE id = ?").param(id).update();
    }

    /** A request for the address that is still under way: pending, or failed with a retry coming. */
    Optional<EnrollmentRecord> inFlight(String address, RequestType... types) {
        List<String> names = java.util.Arrays.stream(types).map(Enum::name).toList();
        return jdbc.sql("SELECT " + COLUMNS + " FROM enrollment_request WHERE address = :address AND request_type IN (:types) "
                        + "AND (request_status = 'PENDING' OR (request_status = 'FAILED' AND retry_at IS NOT NULL)) "
                        + "ORDER BY created_at DESC LIMIT 1")
                .param("address", address).param("types", names)
                .query(this::row).optional();
    }

    /** The provider that issued a certificate, from the request that brought it. */
    Optional<String> providerOf(long certificateId) {
        return jdbc.sql("SELECT provider FROM enrollment_request WHERE certificate_id = ? AND request_type <> 'REVOCATION' "
                        + "AND request_status = 'SUCCEEDED' ORDER BY created_at DESC LIMIT 1")
                .param(certificateId).query(String.class).optional();
    }

    private EnrollmentRecord row(ResultSet rs, int n) throws SQLException {
        String failure = rs.getString("failure_status");
        long certificateId = rs.getLong("certificate_id");
        boolean noCertificate = rs.wasNull();
        return new EnrollmentRecord(
                rs.getString("id"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                rs.getString("address"),
                RequestType.valueOf(rs.getString("request_type")),
                RequestStatus.valueOf(rs.getString("request_status")),
                failure == null ? null : FailureStatus.valueOf(failure),
                rs.getString("error_text"),
                rs.getString("provider"),
                rs.getString("subject"),
                rs.getString("order_id"),
                instant(rs, "order_submitted_at"),
                noCertificate ? null : certificateId,
                rs.getInt("attempt"),
                instant(rs, "retry_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private OffsetDateTime now() {
        return utc(clock.instant());
    }

    /**
     * Deletes finished requests (succeeded, or failed with no retry due) last updated before the
     * cutoff; pending requests and those waiting for a retry stay, however old. Returns how many went.
     */
    public int deleteFinishedBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM enrollment_request WHERE request_status <> ? AND retry_at IS NULL AND updated_at < ?")
                .params(RequestStatus.PENDING.name(), utc(cutoff))
                .update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }
}
