package dev.sealgate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.testkit.RequiredTool;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/quick-start.md followed literally: every {@code sh} block, in order, in one bash session,
 * with the built jar, a fresh home directory and Postfix's smtp-sink as the company mail server on
 * the port the example configuration names. Runs after package (failsafe), as a reader would.
 */
class QuickStartIT {

    static final Path GUIDE = Path.of("..", "docs", "quick-start.md");

    /** The shell blocks of a Markdown file, in order. */
    static List<String> shellBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?ms)^```sh\\n(.*?)^```").matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void shouldWorkWhenFollowedLiterally(@TempDir Path home) throws Exception {
        for (String[] tool : new String[][] {{"swaks", "swaks"}, {"jq", "jq"}, {"curl", "curl"}, {"smtp-sink", "postfix"}}) {
            RequiredTool.require(tool[0], tool[1]);
        }
        for (int port : new int[] {8080, 2525, 2526}) {
            assertThat(isFree(port)).as("the quick start uses port %d as the docs say: it must be free", port).isTrue();
        }
        Path repository = Path.of("..").toAbsolutePath().normalize();
        assertThat(repository.resolve("addin-api/target/sealgate.jar")).as("run after package").exists();

        List<String> blocks = shellBlocks(Files.readString(GUIDE));
        assertThat(blocks).as("the guide has commands").hasSizeGreaterThan(8);
        Path script = home.resolve("quick-start.sh");
        StringBuilder text = new StringBuilder("set -euo pipefail\nset -x\n");
        blocks.forEach(block -> text.append("cd ").append(repository).append('\n').append(block));
        Files.writeString(script, text);

        Process sink = new ProcessBuilder(RequiredTool.require("smtp-sink", "postfix").toString(), "-u", System.getProperty("user.name"), "127.0.0.1:2526", "100")
                .redirectErrorStream(true).redirectOutput(home.resolve("smtp-sink.log").toFile()).start();
        Path output = home.resolve("output.txt");
        try {
            ProcessBuilder bash = new ProcessBuilder("bash", script.toString()).directory(repository.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            bash.environment().put("HOME", home.toString());
            bash.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
            bash.environment().remove("SEALGATE_ADMIN_API_KEY");
            Process process = bash.start();
            boolean finished = process.waitFor(8, TimeUnit.MINUTES);
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(finished).as("the quick start finishes; output so far:%n%s", log).isTrue();
            assertThat(process.exitValue()).as("every command of the quick start succeeds; output:%n%s", log).isZero();
            assertThat(log).contains("configuration is valid", "own domains:         corp.example", "\"Success\"",
                    "Partner Demo", "MANDATORY");
        } finally {
            stopService(home);
            sink.destroy();
        }
    }

    private static void stopService(Path home) throws IOException, InterruptedException {
        Path pid = home.resolve("sealgate/sealgate.pid");
        if (Files.exists(pid)) {
            long id = Long.parseLong(Files.readString(pid).trim());
            ProcessHandle.of(id).ifPresent(p -> {
                p.destroy();
                p.onExit().orTimeout(60, TimeUnit.SECONDS).join();
            });
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
