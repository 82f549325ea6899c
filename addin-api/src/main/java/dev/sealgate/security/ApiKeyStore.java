package dev.sealgate.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Named admin API keys. A key is 256 random bits, shown once at creation; the database keeps only
 * its SHA-256 (a slow password hash adds nothing against a key nobody can guess, and would cost
 * every API call tens of milliseconds; docs/adr/0080). Blocking (JDBC): call off the event loop.
 */
public class ApiKeyStore {

    /** Keys start with this, so that a leaked one is recognisable by secret scanners. */
    static final String PREFIX = "sgk_";
    private static final int MAX_NAME = 100;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ApiKeyStore(DataSource dataSource, Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.clock = clock;
    }

    /** A key as listed: never the key itself. */
    public record ApiKey(String id, String name, AdminRole role, Instant createdAt, String createdBy, Instant revokedAt) {
    }

    /** A freshly created key with its secret: the one and only time the secret is visible. */
    public record CreatedKey(ApiKey key, String secret) {
    }

    public CreatedKey create(String name, AdminRole role, String createdBy) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME || !name.strip().matches("[\\p{L}\\p{N} ._@-]+")) {
            throw new IllegalArgumentException("an API key name must be 1 to " + MAX_NAME
                    + " letters, digits, spaces or . _ @ -, was " + (name == null || name.isBlank() ? "missing" : "'" + name + "'"));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiKey key = new ApiKey(UUID.randomUUID().toString(), name.strip(), role, clock.instant(), createdBy, null);
        try {
            jdbc.sql("INSERT INTO admin_api_key (id, name, role, key_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)")
                    .params(key.id(), key.name(), role.value(), hash(secret), utc(key.createdAt()), createdBy)
                    .update();
        } catch (DuplicateKeyException e) {
            throw new IllegalArgumentException("an API key named '" + key.name() + "' exists already: pick another name "
                    + "or revoke and delete the old one first");
        }
        return new CreatedKey(key, secret);
    }

    public List<ApiKey> list() {
        return jdbc.sql("SELECT id, name, role, created_at, created_by, revoked_at FROM admin_api_key ORDER BY created_at, name")
                .query((rs, row) -> new ApiKey(rs.getString(1), rs.getString(2), AdminRole.parse(rs.getString(3)),
                        rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5),
                        Optional.ofNullable(rs.getObject(6, OffsetDateTime.class)).map(OffsetDateTime::toInstant).orElse(null)))
                .list();
    }

    /** @return whether a key with this id was active and is now revoked */
    public boolean revoke(String id) {
        return jdbc.sql("UPDATE admin_api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                .params(utc(clock.instant()), id).update() == 1;
    }

    /** The active key whose secret this is. */
    public Optional<ApiKey> findActive(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT id, name, role, created_at, created_by FROM admin_api_key WHERE key_hash = ? AND revoked_at IS NULL")
                .param(hash(secret))
                .query((rs, row) -> new ApiKey(rs.getString(1), rs.getString(2), AdminRole.parse(rs.getString(3)),
                        rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5), null))
                .optional();
    }

    public boolean anyActive() {
        return jdbc.sql("SELECT COUNT(*) FROM admin_api_key WHERE revoked_at IS NULL").query(Long.class).single() > 0;
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
