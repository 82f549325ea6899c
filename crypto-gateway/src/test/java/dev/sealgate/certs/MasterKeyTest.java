package dev.sealgate.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class MasterKeyTest {

    @Test
    void shouldGenerateOwnerOnlyKeyFileOnceWithAWarningAndReadItBack(@TempDir Path dataDir) throws Exception {
        Path file = dataDir.resolve("master.key");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        ((Logger) LoggerFactory.getLogger(MasterKey.class)).addAppender(logged);
        try {
            MasterKey created = MasterKey.loadOrCreate(file);
            MasterKey again = MasterKey.loadOrCreate(file);

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(Base64.getDecoder().decode(Files.readString(file))).hasSize(32);
            assertThat(again.derivePassword("x")).isEqualTo(created.derivePassword("x"));
            assertThat(logged.list).singleElement().satisfies(e -> {
                assertThat(e.getFormattedMessage()).startsWith("No master key configured: generated one into " + file.toAbsolutePath());
                assertThat(e.getFormattedMessage()).doesNotContain(Files.readString(file).trim());
            });
        } finally {
            ((Logger) LoggerFactory.getLogger(MasterKey.class)).detachAppender(logged);
        }
    }

    @Test
    void shouldRefuseBadConfiguredKeysWithoutRepeatingThem() {
        String tooShort = Base64.getEncoder().encodeToString("sixteen-byte-key".getBytes());

        assertThatThrownBy(() -> MasterKey.fromBase64(tooShort))
                .hasMessage("sealgate.master-key must be 256 bits (32 bytes in base64), was 16 bytes: generate one with "
                        + "`openssl rand -base64 32`")
                .hasMessageNotContaining(tooShort);
        assertThatThrownBy(() -> MasterKey.fromBase64("not*base64!secret"))
                .hasMessageStartingWith("sealgate.master-key is not valid base64")
                .hasMessageNotContaining("not*base64!secret");
    }

    @Test
    void shouldDeriveUnrelatedPasswordsPerPurposeAndHideTheKey() {
        MasterKey key = MasterKey.random();

        assertThat(key.derivePassword("local-ca/pkcs12")).isNotEqualTo(key.derivePassword("other"));
        assertThat(key.toString()).isEqualTo("MasterKey[(hidden)]");
    }

    @Test
    void shouldDeriveTheSameAesKeyFromTheSameMasterKeyAndUnrelatedOnesPerPurpose() {
        String base64 = Base64.getEncoder().encodeToString(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        MasterKey key = MasterKey.fromBase64(base64);

        assertThat(key.deriveKey("flags/key-encryption-key").getEncoded())
                .hasSize(32)
                .isEqualTo(MasterKey.fromBase64(base64).deriveKey("flags/key-encryption-key").getEncoded())
                .isNotEqualTo(key.deriveKey("other").getEncoded())
                .isNotEqualTo(MasterKey.random().deriveKey("flags/key-encryption-key").getEncoded())
                .isNotEqualTo(Base64.getUrlDecoder().decode(new String(key.derivePassword("flags/key-encryption-key"))));
        assertThat(key.deriveKey("flags/key-encryption-key").getAlgorithm()).isEqualTo("AES");
    }
}
