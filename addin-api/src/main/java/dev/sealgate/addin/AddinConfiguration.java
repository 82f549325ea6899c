package dev.sealgate.addin;

import dev.sealgate.SealgateProperties;
import dev.sealgate.files.FilesProperties;
import dev.sealgate.flags.AddinFlagsStep;
import dev.sealgate.flags.FlagsTokenIssuer;
import dev.sealgate.flags.FlagsTokenVerifier;
import dev.sealgate.flags.JdbcFlagsSigningKeys;
import dev.sealgate.flags.MessageFlagsStore;
import dev.sealgate.tracking.EventLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Wires the add-in API. {@link RecipientLookup} and {@link AddinSettingsPolicy} have defaults here
 * that know only configuration; a {@code @Primary} bean of either type (certificate store, policy)
 * takes over.
 */
@Configuration(proxyBeanMethods = false)
class AddinConfiguration {

    private static final int KEK_BYTES = 32;

    @Bean
    JdbcFlagsSigningKeys flagsSigningKeys(DataSource dataSource, Clock clock, AddinProperties properties,
                                          SealgateProperties sealgate) {
        SecretKey kek = keyEncryptionKey(properties, sealgate.dataDir().resolve("keys").resolve("flags-kek"));
        return new JdbcFlagsSigningKeys(dataSource, clock, kek, properties.flagsLifetime().plus(Duration.ofMinutes(5)));
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
    @Order(100)
    AddinFlagsStep addinFlagsStep(FlagsTokenVerifier verifier, MessageFlagsStore store, EventLog eventLog) {
        return new AddinFlagsStep(verifier, store, eventLog);
    }

    @Bean
    MessageFlagsStore messageFlagsStore(DataSource dataSource, Clock clock) {
        return new MessageFlagsStore(dataSource, clock);
    }

    @Bean
    RecipientLookup domainRecipientLookup(Environment environment, AddinProperties properties) {
        List<String> domains = Binder.get(environment).bind("sealgate.domains", Bindable.listOf(String.class)).orElse(List.of());
        return new DomainRecipientLookup(domains, properties.withoutCertificate());
    }

    @Bean
    AddinSettingsPolicy configuredAddinSettings(AddinProperties addin, FilesProperties files) {
        return new ConfiguredAddinSettings(addin, files);
    }

    static SecretKey keyEncryptionKey(AddinProperties properties, Path file) {
        if (properties.flagsKeyEncryptionKey() != null && !properties.flagsKeyEncryptionKey().isBlank()) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(properties.flagsKeyEncryptionKey().strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sealgate.addin.flags-key-encryption-key is not base64; "
                        + "generate one with: openssl rand -base64 32", e);
            }
            if (bytes.length != KEK_BYTES) {
                throw new IllegalArgumentException("sealgate.addin.flags-key-encryption-key must be 32 bytes (base64), was "
                        + bytes.length + "; generate one with: openssl rand -base64 32");
            }
            return new SecretKeySpec(bytes, "AES");
        }
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] bytes = new byte[KEK_BYTES];
                new SecureRandom().nextBytes(bytes);
                Path temp = Files.createTempFile(file.getParent(), "flags-kek", ".tmp");
                if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                }
                Files.write(temp, bytes);
                Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length != KEK_BYTES) {
                throw new IllegalStateException(file + " must hold 32 bytes, holds " + bytes.length
                        + "; restore it from backup, or delete it and rotate the flags key");
            }
            return new SecretKeySpec(bytes, "AES");
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or create the flags key-encryption key " + file, e);
        }
    }
}
