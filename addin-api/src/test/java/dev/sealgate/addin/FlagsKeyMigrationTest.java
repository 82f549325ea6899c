package dev.sealgate.addin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealgate.certs.MasterKey;
import dev.sealgate.flags.JdbcFlagsSigningKeys;
import dev.sealgate.storage.TestDatabase;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.tracking.EventQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Flags signing keys move from their own key-encryption key (file or property) to one derived from the master key. */
class FlagsKeyMigrationTest {

    /** One database per test: each test has its own master key and its own old keys. */
    private final TestDatabase db = TestDatabase.h2();

    @TempDir
    Path dataDir;

    private final Clock clock = Clock.systemUTC();
    private final MasterKey masterKey = MasterKey.random();

    @AfterEach
    void close() {
        db.close();
    }

    private static byte[] randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private JdbcFlagsSigningKeys keys(SecretKey kek) {
        return new JdbcFlagsSigningKeys(db.dataSource(), clock, kek, Duration.ofHours(25));
    }

    private JdbcFlagsSigningKeys derived() {
        return keys(masterKey.deriveKey(AddinConfiguration.KEK_PURPOSE));
    }

    private static AddinProperties properties(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("sealgate.addin", AddinProperties.class);
    }

    @Test
    void shouldReEncryptKeysUnderTheOldFileAndDeleteIt() throws Exception {
        byte[] old = randomKey();
        String kid = keys(new SecretKeySpec(old, "AES")).currentSigningKey().getKeyID();
        Path file = Files.createDirectories(dataDir.resolve("keys")).resolve("flags-kek");
        Files.write(file, old);
        EventLog events = new EventLog(db.dataSource(), clock);

        JdbcFlagsSigningKeys migrated = derived();
        AddinConfiguration.migrateLegacyKeyEncryptionKey(migrated, properties(Map.of()), file, events);

        assertThat(migrated.currentSigningKey().getKeyID()).isEqualTo(kid);
        assertThat(file).doesNotExist();
        assertThat(events.find(new EventQuery(null, null, null, "addin", 10)))
                .anySatisfy(e -> assertThat(e.message()).contains("derived from the master key").contains("deleted"));
        assertThat(migrated.rewrap(new SecretKeySpec(old, "AES"))).as("a second run finds nothing left to do").isZero();
    }

    @Test
    void shouldReEncryptKeysUnderTheOldPropertyAndAskToRemoveIt() {
        byte[] old = randomKey();
        String kid = keys(new SecretKeySpec(old, "AES")).currentSigningKey().getKeyID();
        EventLog events = new EventLog(db.dataSource(), clock);

        JdbcFlagsSigningKeys migrated = derived();
        AddinConfiguration.migrateLegacyKeyEncryptionKey(migrated, properties(Map.of("sealgate.addin.flags-key-encryption-key",
                Base64.getEncoder().encodeToString(old))), dataDir.resolve("keys").resolve("flags-kek"), events);

        assertThat(migrated.currentSigningKey().getKeyID()).isEqualTo(kid);
        assertThat(events.find(new EventQuery(null, null, null, "addin", 10)))
                .anySatisfy(e -> assertThat(e.message()).contains("remove the property"));
    }

    @Test
    void shouldRefuseToStartWhenAKeyOpensWithNeitherKey() {
        keys(new SecretKeySpec(randomKey(), "AES")).currentSigningKey();

        assertThatThrownBy(() -> derived().rewrap(new SecretKeySpec(randomKey(), "AES")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("opens with neither").hasMessageContaining("rotate the flags key");
    }
}
