package dev.sealgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.policy.Direction;
import dev.sealgate.storage.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8: {@code MessageFiles.read} left every spool file it opened open until garbage collection.
 * 300 messages through the crypto steps (each parses its message once or twice, always from a working
 * copy file here) must leave the process with no more open descriptors than before, and no working
 * copy behind.
 */
class SpoolDescriptorTest {

    private static final Path DESCRIPTORS = Path.of("/proc/self/fd");

    @TempDir
    Path dir;

    private TestDatabase db;
    private CryptoRig rig;

    @BeforeEach
    void rig() throws Exception {
        if (!Files.isDirectory(DESCRIPTORS)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("/proc/self/fd is missing: with CI=true the descriptor count must run");
            }
            Assumptions.abort("/proc/self/fd is missing: open descriptors cannot be counted on this system");
        }
        db = TestDatabase.h2();
        rig = new CryptoRig(db.dataSource(), dir, false, Duration.ofHours(24));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void shouldCloseEverySpoolStreamItOpensOver300Messages() throws Exception {
        rig.ownUser("alice@" + CryptoRig.OWN_DOMAIN);
        send(10);
        long before = openDescriptors();

        send(300);

        long after = openDescriptors();
        assertThat(after).as("open descriptors after 300 messages (before: %d)", before).isLessThanOrEqualTo(before + 5);
        try (Stream<Path> work = Files.list(dir.resolve("work"))) {
            assertThat(work).as("working copies left behind").isEmpty();
        }
    }

    private void send(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            if (i % 2 == 0) {
                rig.receive(Direction.INBOUND, "paula@partner.test", List.of("bob@" + CryptoRig.OWN_DOMAIN),
                        CryptoRig.mail("paula@partner.test", "bob@" + CryptoRig.OWN_DOMAIN, "inbound " + i, "hello " + i));
            } else {
                rig.receive(Direction.OUTBOUND, "alice@" + CryptoRig.OWN_DOMAIN, List.of("carol@elsewhere.test"),
                        CryptoRig.mail("alice@" + CryptoRig.OWN_DOMAIN, "carol@elsewhere.test", "outbound " + i, "hi " + i));
            }
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(DESCRIPTORS)) {
            return fds.count();
        }
    }
}
