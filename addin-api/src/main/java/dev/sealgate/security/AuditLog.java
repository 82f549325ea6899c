package dev.sealgate.security;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The admin audit trail: every change tried through the admin API. Blocking (JDBC). */
public class AuditLog {

    /** One attempted change. {@code outcome}: {@code success}, {@code denied} or {@code failed}. */
    public record Entry(long id, Instant occurredAt, String actor, String signIn, String method, String route,
                        String target, String clientAddress, String outcome, int status) {
    }

    /** Filters (each optional) and paging, newest first. */
    public record Query(String actor, String method, String outcome, Instant from, Instant to, int limit, int offset) {
        public Query {
            if (limit < 1 || limit > 1000) {
                throw new IllegalArgumentException("audit query limit must be between 1 and 1000, was " + limit);
            }
            if (offset < 0) {
                throw new IllegalArgumentException("audit query offset must not be negative, was " + offset);
            }
        }
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    public AuditLog(DataSource dataSource, Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.clock = clock;
    }

    /** Deletes the records older than the cutoff (retention, {@code sealgate.tracking.audit-retention}); returns how many. */
    public int deleteOlderThan(java.time.Instant cutoff) {
        return jdbc.sql("DELETE FROM admin_audit WHERE occurred_at < ?").param(cutoff.atOffset(ZoneOffset.UTC)).update();
    }

    public void record(String actor, String signIn, String method, String route, String target, String clientAddress,
                       String outcome, int status) {
        jdbc.sql("INSERT INTO admin_audit (occurred_at, actor, sign_in, http_method, route, target, client_address, outcome, status) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(clock.instant().atOffset(ZoneOffset.UTC), bounded(actor, 200), signIn, method, bounded(route, 500),
                        bounded(target, 200), bounded(clientAddress, 100), outcome, status)
                .update();
    }

    public List<Entry> find(Query query) {
        StringBuilder sql = new StringBuilder("SELECT id, occurred_at, actor, sign_in, http_method, route, target, client_address, "
                + "outcome, status FROM admin_audit WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (query.actor() != null) {
            sql.append(" AND actor = ?");
            params.add(query.actor());
        }
        if (query.method() != null) {
            sql.append(" AND http_method = ?");
            params.add(query.method().toUpperCase(java.util.Locale.ROOT));
        }
        if (query.outcome() != null) {
            sql.append(" AND outcome = ?");
            params.add(query.outcome());
        }
        if (query.from() != null) {
            sql.append(" AND occurred_at >= ?");
            params.add(query.from().atOffset(ZoneOffset.UTC));
        }
        if (query.to() != null) {
            sql.append(" AND occurred_at < ?");
            params.add(query.to().atOffset(ZoneOffset.UTC));
        }
        sql.append(" ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?");
        params.add(query.limit());
        params.add(query.offset());
        return jdbc.sql(sql.toString()).params(params).query(AuditLog::entry).list();
    }

    private static Entry entry(ResultSet rs, int row) throws SQLException {
        return new Entry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getInt(10));
    }

    private static String bounded(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
