package dev.sealgate.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What every file storage must do: local file system, S3. */
public interface FileStorageContract {

    FileStorage storage();

    /** A directory for spool files. */
    Path spoolDirectory();

    @Test
    default void shouldStoreReadAndDeleteContent() throws Exception {
        Path spool = Files.writeString(spoolDirectory().resolve("a.part"), "hello large file", StandardCharsets.UTF_8);

        storage().put("key-abcdef01", spool);

        assertThat(Files.exists(spool)).isFalse();
        assertThat(storage().exists("key-abcdef01")).isTrue();
        try (InputStream in = storage().open("key-abcdef01")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello large file");
        }
        storage().delete("key-abcdef01");
        assertThat(storage().exists("key-abcdef01")).isFalse();
        storage().delete("key-abcdef01");
    }

    @Test
    default void shouldReportMissingContent() {
        assertThatThrownBy(() -> storage().open("key-missing1")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    default void shouldRefuseKeysThatCouldEscapeTheStore() {
        assertThatThrownBy(() -> storage().open("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }
}
