package dev.sealgate.policy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
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

/** Crypto policies per scope in the shared database. */
public class PolicyRepository {

    private static final String COLUMNS = "scope, outbound_signing, strip_client_signatures, outbound_encryption, "
            + "missing_certificate, allow_untrusted_certificates, encrypt_meeting_requests, content_encryption, "
            + "key_encryption, auto_enroll, inbound_undecryptable, inbound_verify, inbound_requirement, signature_format, "
            + "signature_scheme, allow_weak_signatures";

    private final JdbcClient jdbc;
    private final Clock clock;

    public PolicyRepository(DataSource dataSource, Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.clock = clock;
    }

    public Optional<CryptoPolicy> find(PolicyScope scope) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM crypto_policy WHERE scope = ?").param(key(scope))
                .query((rs, n) -> row(rs)).optional();
    }

    /** The stored policies of the given scopes, by scope value, in one query (scopes without one are absent). */
    public Map<String, CryptoPolicy> find(List<PolicyScope> scopes) {
        Map<String, CryptoPolicy> result = new HashMap<>();
        jdbc.sql("SELECT " + COLUMNS + " FROM crypto_policy WHERE scope IN (:scopes)")
                .param("scopes", scopes.stream().map(PolicyRepository::key).toList())
                .query((rs, n) -> Map.entry(rs.getString("scope"), row(rs))).list()
                .forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    /** Replaces the policy of the scope (fields left null inherit). */
    public void save(PolicyScope scope, CryptoPolicy policy) {
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
        return jdbc.sql("DELETE FROM crypto_policy WHERE scope = ?").param(key(scope)).update() > 0;
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
