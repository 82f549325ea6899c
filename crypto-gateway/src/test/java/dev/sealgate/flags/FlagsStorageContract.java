package dev.sealgate.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Flags signing keys and stored message flags; run on H2 and on PostgreSQL. */
public interface FlagsStorageContract {

    DataSource dataSource();

    Duration RETENTION = Duration.ofHours(25);

    private JdbcFlagsSigningKeys keysAt(Instant now, SecretKey kek) {
        return new JdbcFlagsSigningKeys(dataSource(), Clock.fixed(now, ZoneOffset.UTC), kek, RETENTION);
    }

    private static SecretKey kek(int fill) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) fill);
        return new SecretKeySpec(bytes, "AES");
    }

    @Test
    default void shouldKeepOneSigningKeyUntilRotatedAndVerifyOldTokensUntilRetentionEnds() {
        Instant t0 = Instant.parse("2026-06-01T08:00:00Z");
        JdbcFlagsSigningKeys keys = keysAt(t0, kek(1));
        String first = keys.rotate();
        assertThat(keys.currentSigningKey().getKeyID()).isEqualTo(first);
        String oldToken = new FlagsTokenIssuer(keys, Clock.fixed(t0, ZoneOffset.UTC))
                .issue("alice@example.org", new MessageFlags(true, false, false), null, Duration.ofHours(24)).token();

        String second = keys.rotate();

        assertThat(second).isNotEqualTo(first);
        assertThat(keys.currentSigningKey().getKeyID()).isEqualTo(second);
        Instant later = t0.plus(Duration.ofHours(23));
        assertThat(new FlagsTokenVerifier(keysAt(later, kek(1)), Clock.fixed(later, ZoneOffset.UTC))
                .verify(oldToken, "alice@example.org", List.of("alice@example.org"), null))
                .isInstanceOf(FlagsVerification.Valid.class);
        assertThat(keysAt(t0.plus(Duration.ofHours(26)), kek(1)).verificationKey(first)).isEmpty();
        assertThat(keysAt(t0.plus(Duration.ofHours(26)), kek(1)).verificationKey(second)).isPresent();
        assertThat(keysAt(t0.plus(Duration.ofHours(26)), kek(1)).deleteExpiredKeys()).isGreaterThanOrEqualTo(1);
        assertThat(keysAt(t0, kek(1)).verificationKey(first)).isEmpty();
    }

    @Test
    default void shouldNeverStoreThePrivateKeyInTheClearAndRefuseAWrongKeyEncryptionKey() {
        Instant t0 = Instant.parse("2026-06-02T08:00:00Z");
        JdbcFlagsSigningKeys keys = keysAt(t0, kek(1));
        keys.rotate();
        String d = keys.currentSigningKey().getD().toString();

        List<String> stored = org.springframework.jdbc.core.simple.JdbcClient.create(dataSource())
                .sql("SELECT public_jwk FROM flags_signing_key").query(String.class).list();
        assertThat(stored).noneMatch(jwk -> jwk.contains(d) || jwk.contains("\"d\""));
        assertThatThrownBy(() -> keysAt(t0, kek(3)).currentSigningKey())
                .hasMessageContaining("key-encryption key");
    }

    @Test
    default void shouldFindStoredFlagsOnlyForTheSameSenderAndBeforeTheyExpire() {
        Instant t0 = Instant.parse("2026-06-03T08:00:00Z");
        MessageFlagsStore store = new MessageFlagsStore(dataSource(), Clock.fixed(t0, ZoneOffset.UTC));
        store.save("<x1@example.org>", "Alice@example.org", new MessageFlags(true, true, false), t0.plusSeconds(3600));
        store.save("<x1@example.org>", "alice@example.org", new MessageFlags(false, true, true), t0.plusSeconds(3600));

        assertThat(store.find("<x1@example.org>", "ALICE@example.org")).contains(new MessageFlags(false, true, true));
        assertThat(store.find("<x1@example.org>", "mallory@example.org")).isEmpty();
        MessageFlagsStore later = new MessageFlagsStore(dataSource(), Clock.fixed(t0.plusSeconds(3601), ZoneOffset.UTC));
        assertThat(later.find("<x1@example.org>", "alice@example.org")).isEmpty();
        assertThat(later.deleteExpired()).isGreaterThanOrEqualTo(1);
    }
}
