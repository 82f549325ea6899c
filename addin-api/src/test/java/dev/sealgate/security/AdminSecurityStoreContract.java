package dev.sealgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealgate.certprovider.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/** Named API keys, local accounts and the audit trail, as stored; run on H2 and on PostgreSQL. */
public interface AdminSecurityStoreContract {

    DataSource dataSource();

    MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));

    @Test
    default void shouldFindAnActiveKeyByItsSecretAndStoreOnlyItsHash() {
        ApiKeyStore keys = new ApiKeyStore(dataSource(), CLOCK);
        ApiKeyStore.CreatedKey created = keys.create("deploy bot", AdminRole.OPERATOR, "ada");

        assertThat(created.secret()).startsWith("sgk_").hasSizeGreaterThan(40);
        assertThat(keys.findActive(created.secret())).get().extracting(ApiKeyStore.ApiKey::name, ApiKeyStore.ApiKey::role)
                .containsExactly("deploy bot", AdminRole.OPERATOR);
        assertThat(keys.findActive(created.secret() + "x")).isEmpty();
        assertThat(keys.findActive("deploy bot")).isEmpty();
        List<String> stored = JdbcClient.create(dataSource()).sql("SELECT key_hash FROM admin_api_key WHERE name = 'deploy bot'")
                .query(String.class).list();
        assertThat(stored).containsExactly(ApiKeyStore.hash(created.secret())).noneMatch(h -> h.contains(created.secret()));
    }

    @Test
    default void shouldRefuseARevokedKeyAndKeepItListed() {
        ApiKeyStore keys = new ApiKeyStore(dataSource(), CLOCK);
        ApiKeyStore.CreatedKey created = keys.create("old monitoring", AdminRole.AUDITOR, "ada");

        assertThat(keys.revoke(created.key().id())).isTrue();
        assertThat(keys.revoke(created.key().id())).as("revoking twice").isFalse();
        assertThat(keys.findActive(created.secret())).isEmpty();
        assertThat(keys.list()).filteredOn(k -> k.name().equals("old monitoring")).singleElement()
                .satisfies(k -> assertThat(k.revokedAt()).isNotNull());
    }

    @Test
    default void shouldRefuseADuplicateOrOddKeyName() {
        ApiKeyStore keys = new ApiKeyStore(dataSource(), CLOCK);
        keys.create("twice", AdminRole.ADMIN, "ada");
        assertThatThrownBy(() -> keys.create("twice", AdminRole.AUDITOR, "ada")).hasMessageContaining("exists already");
        assertThatThrownBy(() -> keys.create("<script>", AdminRole.AUDITOR, "ada")).hasMessageContaining("letters, digits");
        assertThatThrownBy(() -> keys.create(" ", AdminRole.AUDITOR, "ada")).hasMessageContaining("missing").hasMessageNotContaining("null");
    }

    @Test
    default void shouldKeepAnExistingAccountWhenTheBootstrapRunsAgain() {
        Argon2PasswordEncoder encoder = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
        AdminAccounts accounts = new AdminAccounts(dataSource(), encoder, CLOCK);

        assertThat(accounts.createIfAbsent("breakglass", "First-Password-123", AdminRole.ADMIN)).isTrue();
        assertThat(accounts.createIfAbsent("breakglass", "Second-Password-456", AdminRole.ADMIN)).isFalse();
        AdminAccounts.Account account = accounts.find("breakglass").orElseThrow();
        assertThat(account.passwordHash()).startsWith("$argon2id$");
        assertThat(encoder.matches("First-Password-123", account.passwordHash())).isTrue();
        assertThat(encoder.matches("Second-Password-456", account.passwordHash())).isFalse();
    }

    @Test
    default void shouldFilterAndPageTheAuditNewestFirst() {
        AuditLog audit = new AuditLog(dataSource(), CLOCK);
        for (int i = 0; i < 5; i++) {
            CLOCK.advance(Duration.ofMinutes(1));
            audit.record("pager-" + (i % 2), "api-key", "DELETE", "/api/v1/admin/held/{id}", "m" + i, "192.0.2." + i,
                    i == 4 ? "denied" : "success", i == 4 ? 403 : 204);
        }
        List<AuditLog.Entry> page = audit.find(new AuditLog.Query("pager-0", null, null, null, null, 2, 0));
        assertThat(page).extracting(AuditLog.Entry::target).containsExactly("m4", "m2");
        assertThat(audit.find(new AuditLog.Query("pager-0", null, null, null, null, 2, 2)))
                .extracting(AuditLog.Entry::target).containsExactly("m0");
        assertThat(audit.find(new AuditLog.Query(null, "delete", "denied", null, null, 10, 0)))
                .extracting(AuditLog.Entry::actor, AuditLog.Entry::clientAddress, AuditLog.Entry::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pager-0", "192.0.2.4", 403));
        Instant third = page.get(1).occurredAt();
        assertThat(audit.find(new AuditLog.Query(null, null, null, third, third.plusSeconds(1), 10, 0)))
                .extracting(AuditLog.Entry::target).containsExactly("m2");
        assertThatThrownBy(() -> new AuditLog.Query(null, null, null, null, null, 0, 0)).hasMessageContaining("limit");
    }

    @Test
    default void shouldDeleteAuditRecordsOlderThanTheRetentionOnly() {
        MutableClock clock = new MutableClock(Instant.parse("2019-01-01T10:00:00Z"));
        AuditLog audit = new AuditLog(dataSource(), clock);
        audit.record("retention-old", "api-key", "PUT", "/api/v1/admin/policies/{scope}", "global", "192.0.2.1", "allowed", 200);
        clock.advance(Duration.ofDays(151));
        audit.record("retention-new", "api-key", "PUT", "/api/v1/admin/policies/{scope}", "global", "192.0.2.1", "allowed", 200);

        assertThat(audit.deleteOlderThan(Instant.parse("2019-03-01T00:00:00Z"))).isPositive();

        assertThat(audit.find(new AuditLog.Query("retention-old", null, null, null, null, 10, 0))).isEmpty();
        assertThat(audit.find(new AuditLog.Query("retention-new", null, null, null, null, 10, 0))).hasSize(1);
    }
}
