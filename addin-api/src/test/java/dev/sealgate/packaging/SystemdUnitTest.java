package dev.sealgate.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.testkit.RequiredTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped systemd unit passes {@code systemd-analyze verify} without a single complaint. */
class SystemdUnitTest {

    static final Path UNIT = Path.of("..", "packaging", "systemd", "sealgate.service");

    @Test
    void shouldVerifyWithoutWarnings(@TempDir Path dir) throws Exception {
        Path analyze = RequiredTool.require("systemd-analyze", "systemd");
        Path copy = Files.copy(UNIT, dir.resolve("sealgate.service"));

        Process process = new ProcessBuilder(analyze.toString(), "verify", copy.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).as("systemd ignores what it cannot parse, with a warning: none may appear").isBlank();
    }

    @Test
    void shouldRunAsADedicatedUserWithOnlyTheRightToBindPort25() throws Exception {
        String unit = Files.readString(UNIT);

        assertThat(unit).contains("User=sealgate", "AmbientCapabilities=CAP_NET_BIND_SERVICE",
                "CapabilityBoundingSet=CAP_NET_BIND_SERVICE", "NoNewPrivileges=true", "ProtectSystem=strict",
                "StateDirectory=sealgate");
        assertThat(unit).as("the JIT needs writable and executable memory").doesNotContain("MemoryDenyWriteExecute=true");
        assertThat(unit).as("secrets never in the unit").doesNotContainPattern("(?i)(master-key|password)=");
    }
}
