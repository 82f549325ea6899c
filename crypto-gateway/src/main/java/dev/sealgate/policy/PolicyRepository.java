package dev.sealgate.policy;

import dev.sealgate.cluster.CacheGenerations;
import dev.sealgate.cluster.GenerationalCache;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Crypto policies per scope in the shared database. Look-ups go through a cache per scope (the
 * mail path resolves the sender and every recipient of every message); a change bumps the cache
 * generation {@value #CACHE} in its own transaction, so other nodes see it within their
 * {@code sealgate.cache.check-interval} (ADR 0191).
 */
public class PolicyRepository {

    /** The name of the policy cache in {@code cache_generation}. */
    public static final String CACHE = "policy";

    /** Scopes held per node by default ({@code sealgate.cache.max-entries}). */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    private static final String COLUMNS = "scope, outbound_signing, strip_client_signatures, outbound_encryption, "
            + "missing_certificate, allow_untrusted_certificates, encrypt_meeting_requests, content_encryption, "
            + "key_encryption, auto_enroll, inbound_undecryptable, inbound_verify, inbound_requirement, signature_format, "
            + "signature_scheme, allow_weak_signatures";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final CacheGenerations generations;
    private final GenerationalCache<String, Optional<CryptoPolicy>> cache;

    /** Without a shared check interval: the generations are read before every look-up (never stale). */
    public PolicyRepository(DataSource dataSource, Clock clock) {
        this(dataSource, clock, new CacheGenerations(dataSource, Duration.ZERO), DEFAULT_MAX_ENTRIES);
    }

    /** @param generations this node's cache generations; @param maxEntries scopes held at most */
    public PolicyRepository(DataSource dataSource, Clock clock, CacheGenerations generations, int maxEntries) {
        this.jdbc = JdbcClient.create(dataSource);
        this.clock = clock;
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.generations = generations;
        this.cache = generations.cache(CACHE, maxEntries);
    }

    public Optional<CryptoPolicy> find(PolicyScope scope) {
        return cache.get(key(scope), k -> jdbc.sql("SELECT " + COLUMNS + " FROM crypto_policy WHERE scope = ?").param(k)
                .query((rs, n) -> row(rs)).optional());
    }

    /** The stored policies of the given scopes, by scope value (scopes without one are absent); at most one query. */
    public Map<String, CryptoPolicy> find(List<PolicyScope> scopes) {
        Map<String, CryptoPolicy> result = new HashMap<>();
        cache.getAll(scopes.stream().map(PolicyRepository::key).distinct().toList(), this::load)
                .forEach((scope, policy) -> policy.ifPresent(p -> result.put(scope, p)));
        return result;
    }

    private Map<String, Optional<CryptoPolicy>> load(List<String> scopes) {
        Map<String, Optional<CryptoPolicy>> result = new HashMap<>();
        scopes.forEach(s -> result.put(s, Optional.empty()));
        jdbc.sql("SELECT " + COLUMNS + " FROM crypto_policy WHERE scope IN (:scopes)")
                .param("scopes", scopes)
                .query((rs, n) -> Map.entry(rs.getString("scope"), row(rs))).list()
                .forEach(e -> result.put(e.getKey(), Optional.of(e.getValue())));
        return result;
    }

    /** Replaces the policy of the scope (fields left null inherit). */
    public void save(PolicyScope scope, CryptoPolicy policy) {
        transactions.executeWithoutResult(status -> {
            write(scope, policy);
            generations.bump(CACHE);
        });
    }

    private void write(PolicyScope scope, CryptoPolicy policy) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        Object[] values = {name(policy.outboundSigning()), policy.stripClientSignatures(), name(policy.outboundEncryption()),
                name(policy.missingCertificate()), policy.allowUntrustedCertificates(), policy.encryptMeetingRequests(),
                name(policy.contentEncryption()), name(policy.keyEncryption()), policy.autoEnroll(),
                name(policy.inboundUndecryptable()), policy.inboundVerify(), name(policy.inboundRequirement()),
                name(policy.signatureFormat()), name(policy.signatureScheme()), policy.allowWeakSignatures(), now, key(scope)};
        int updated = jdbc.sql("UPDATE crypto_policy SET outbound_signing = ?, strip_client_signatures = ?, "
                        + "outbound_encryption = ?, missing_certificate = ?, allow_untrusted_certificates = ?, "
                        + "encrypt_meeting_requests = ?, content_encryption = ?, key_encryption = ?, auto_enroll = ?, "
                        + "inbound_undecryptable = ?, inbound_verify = ?, inbound_requirement = ?, signature_format = ?, "
                        + "signature_scheme = ?, allow_weak_signatures = ?, updated_at = ? WHERE scope = ?")
                .params(values).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO crypto_policy (outbound_signing, strip_client_signatures, outbound_encryption, "
                            + "missing_certificate, allow_untrusted_certificates, encrypt_meeting_requests, content_encryption, "
                            + "key_encryption, auto_enroll, inbound_undecryptable, inbound_verify, inbound_requirement, "
                            + "signature_format, signature_scheme, allow_weak_signatures, updated_at, scope) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(values).update();
        }
    }

    /** Removes the policy of a domain or address (it then inherits everything); global cannot go. */
    public boolean delete(PolicyScope scope) {
        if (scope.level() == PolicyScope.Level.GLOBAL) {
            throw new IllegalArgumentException("the global policy cannot be deleted; change its settings instead");
        }
        Boolean deleted = transactions.execute(status -> {
            boolean gone = jdbc.sql("DELETE FROM crypto_policy WHERE scope = ?").param(key(scope)).update() > 0;
            generations.bump(CACHE);
            return gone;
        });
        return Boolean.TRUE.equals(deleted);
    }

    /** Every stored policy by scope, global first. */
    public Map<String, CryptoPolicy> all() {
        Map<String, CryptoPolicy> result = new LinkedHashMap<>();
        jdbc.sql("SELECT " + COLUMNS + " FROM crypto_policy ORDER BY CASE WHEN scope = 'global' THEN 0 ELSE 1 END, scope")
                .query((rs, n) -> Map.entry(rs.getString("scope"), row(rs))).list()
                .forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    private static String key(PolicyScope scope) {
        return scope.value();
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static CryptoPolicy row(ResultSet rs) throws SQLException {
        return new CryptoPolicy(
                enumOf(rs.getString("outbound_signing"), SigningMode::valueOf),
                bool(rs, "strip_client_signatures"),
                enumOf(rs.getString("outbound_encryption"), EncryptionMode::valueOf),
                enumOf(rs.getString("missing_certificate"), MissingCertificateAction::valueOf),
                bool(rs, "allow_untrusted_certificates"),
                bool(rs, "encrypt_meeting_requests"),
                enumOf(rs.getString("content_encryption"), ContentEncryption::valueOf),
                enumOf(rs.getString("key_encryption"), KeyEncryption::valueOf),
                bool(rs, "auto_enroll"),
                enumOf(rs.getString("inbound_undecryptable"), UndecryptableAction::valueOf),
                bool(rs, "inbound_verify"),
                enumOf(rs.getString("inbound_requirement"), InboundRequirement::valueOf),
                enumOf(rs.getString("signature_format"), SignatureFormat::valueOf),
                enumOf(rs.getString("signature_scheme"), SignatureScheme::valueOf),
                bool(rs, "allow_weak_signatures"));
    }

    private static <E> E enumOf(String value, Function<String, E> parse) {
        return value == null ? null : parse.apply(value);
    }

    private static Boolean bool(ResultSet rs, String column) throws SQLException {
        boolean value = rs.getBoolean(column);
        return rs.wasNull() ? null : value;
    }
}
