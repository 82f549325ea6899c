package dev.sealgate.revocation;

import dev.sealgate.certs.MailAddress;
import dev.sealgate.policy.PolicyScope;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The revocation policy per scope (global, partner domain, address) in the shared database: what an
 * unknown revocation status means for a partner's signature. Resolved like the crypto policies:
 * address, then domain, then global, then the configured default
 * ({@code sealgate.revocation.on-unknown}).
 */
public class RevocationPolicies {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final UnknownRevocation fallback;

    public RevocationPolicies(DataSource dataSource, Clock clock, UnknownRevocation fallback) {
        this.jdbc = JdbcClient.create(dataSource);
        this.clock = clock;
        this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    /** What applies to mail signed for the address (the header From, or the signer's address). */
    public UnknownRevocation forAddress(String address) {
        Optional<MailAddress> parsed = parse(address);
        if (parsed.isPresent()) {
            Optional<UnknownRevocation> own = find(parsed.get().toString());
            if (own.isPresent()) {
                return own.get();
            }
            Optional<UnknownRevocation> domain = find(parsed.get().domain());
            if (domain.isPresent()) {
                return domain.get();
            }
        }
        return find(PolicyScope.GLOBAL.value()).orElse(fallback);
    }

    public Optional<UnknownRevocation> find(PolicyScope scope) {
        return find(scope.value());
    }

    public void save(PolicyScope scope, UnknownRevocation onUnknown) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        int updated = jdbc.sql("UPDATE revocation_policy SET on_unknown = ?, updated_at = ? WHERE scope = ?")
                .params(onUnknown.name(), now, scope.value()).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO revocation_policy (scope, on_unknown, updated_at) VALUES (?, ?, ?)")
                    .params(scope.value(), onUnknown.name(), now).update();
        }
    }

    /** Removes the scope's own setting: it inherits again. */
    public boolean delete(PolicyScope scope) {
        return jdbc.sql("DELETE FROM revocation_policy WHERE scope = ?").param(scope.value()).update() > 0;
    }

    /** Every stored setting by scope, global first. */
    public Map<String, UnknownRevocation> all() {
        Map<String, UnknownRevocation> result = new LinkedHashMap<>();
        jdbc.sql("SELECT scope, on_unknown FROM revocation_policy ORDER BY CASE WHEN scope = 'global' THEN 0 ELSE 1 END, scope")
                .query((rs, n) -> Map.entry(rs.getString(1), UnknownRevocation.valueOf(rs.getString(2)))).list()
                .forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    private Optional<UnknownRevocation> find(String scope) {
        return jdbc.sql("SELECT on_unknown FROM revocation_policy WHERE scope = ?").param(scope)
                .query((rs, n) -> UnknownRevocation.valueOf(rs.getString(1))).optional();
    }

    private static Optional<MailAddress> parse(String address) {
        if (address == null || address.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(MailAddress.parse(address));
        } catch (IllegalArgumentException unusable) {
            return Optional.empty();
        }
    }
}
