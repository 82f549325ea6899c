package dev.sealgate.addin;

import dev.sealgate.SealgateProperties;
import dev.sealgate.certs.MasterKey;
import dev.sealgate.flags.AddinFlagsStep;
import dev.sealgate.flags.FlagsTokenIssuer;
import dev.sealgate.flags.FlagsTokenVerifier;
import dev.sealgate.flags.JdbcFlagsSigningKeys;
import dev.sealgate.flags.MessageFlagsStore;
import dev.sealgate.pipeline.StepOrder;
import dev.sealgate.tracking.EventLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Wires the add-in API's flags. {@link RecipientLookup} and {@link AddinSettingsPolicy} come from
 * {@link AddinPolicyConfiguration} (certificate store and crypto policies).
 */
@Configuration(proxyBeanMethods = false)
class AddinConfiguration {

    private static final int KEK_BYTES = 32;
    static final String KEK_PURPOSE = "flags/key-encryption-key";

    /**
     * Signing keys encrypted under a key derived from the master key (ADR 0070). Keys still under a
     * key-encryption key of the old places (property, file) are re-encrypted on start.
     */
    @Bean
    JdbcFlagsSigningKeys flagsSigningKeys(DataSource dataSource, Clock clock, AddinProperties properties,
                                          SealgateProperties sealgate, MasterKey masterKey, EventLog events) {
        JdbcFlagsSigningKeys keys = new JdbcFlagsSigningKeys(dataSource, clock, masterKey.deriveKey(KEK_PURPOSE),
                properties.flagsLifetime().plus(Duration.ofMinutes(5)));
        migrateLegacyKeyEncryptionKey(keys, properties, sealgate.dataDir().resolve("keys").resolve("flags-kek"), events);
        return keys;
    }

    @Bean
    FlagsTokenIssuer flagsTokenIssuer(JdbcFlagsSigningKeys keys, Clock clock) {
        return new FlagsTokenIssuer(keys, clock);
    }

    @Bean
    FlagsTokenVerifier flagsTokenVerifier(JdbcFlagsSigningKeys keys, Clock clock) {
        return new FlagsTokenVerifier(keys, clock);
    }

    /** Runs first in the mail pipeline, so the policy steps see the add-in's flags and no step sees the header. */
    @Bean
    @Order(StepOrder.ADDIN_FLAGS)
    AddinFlagsStep addinFlagsStep(FlagsTokenVerifier verifier, MessageFlagsStore store, EventLog eventLog) {
        return new AddinFlagsStep(verifier, store, eventLog);
    }

    @Bean
    MessageFlagsStore messageFlagsStore(DataSource dataSource, Clock clock) {
        return new MessageFlagsStore(dataSource, clock);
    }

    static void migrateLegacyKeyEncryptionKey(JdbcFlagsSigningKeys keys, AddinProperties properties, Path file, EventLog events) {
        if (properties.flagsKeyEncryptionKey() != null && !properties.flagsKeyEncryptionKey().isBlank()) {
            int rewrapped = keys.rewrap(fromProperty(properties.flagsKeyEncryptionKey()));
            events.warning("addin", "sealgate.addin.flags-key-encryption-key is set but no longer needed: the flags signing keys "
                    + "are encrypted under a key derived from the master key; remove the property", rewrapped + " keys re-encrypted");
        }
        if (Files.exists(file)) {
            try {
                byte[] bytes = Files.readAllBytes(file);
                if (bytes.length != KEK_BYTES) {
                    throw new IllegalStateException(file + " must hold 32 bytes, holds " + bytes.length
                            + "; restore it from backup, or delete it and rotate the flags key");
                }
                int rewrapped = keys.rewrap(new SecretKeySpec(bytes, "AES"));
                Files.delete(file);
                events.info("addin", "The flags signing keys are now encrypted under a key derived from the master key; "
                        + file + " is no longer needed and was deleted", rewrapped + " keys re-encrypted");
            } catch (IOException e) {
                throw new UncheckedIOException("could not read or delete the old flags key-encryption key " + file
                        + "; check its permissions", e);
            }
        }
    }

    private static SecretKey fromProperty(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sealgate.addin.flags-key-encryption-key is not base64; it is only read to "
                    + "migrate the flags keys to the master key: fix or remove it", e);
        }
        if (bytes.length != KEK_BYTES) {
            throw new IllegalArgumentException("sealgate.addin.flags-key-encryption-key must be 32 bytes (base64), was "
                    + bytes.length + "; it is only read to migrate the flags keys to the master key: fix or remove it");
        }
        return new SecretKeySpec(bytes, "AES");
    }
}
