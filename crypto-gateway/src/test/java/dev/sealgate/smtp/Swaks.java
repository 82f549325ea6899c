package dev.sealgate.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * swaks, a real SMTP client this project did not write. When it is not installed the test is
 * skipped with a message, except with {@code CI=true}, where that is a failure.
 */
public final class Swaks {

    /** What swaks printed and how it exited. */
    public record Result(int exitCode, String output) {
    }

    private Swaks() {
    }

    public static void requireInstalled() {
        boolean found = System.getenv("PATH") != null && java.util.Arrays.stream(System.getenv("PATH").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "swaks")));
        if (!found) {
            String reason = "swaks is not installed (apt-get install -y swaks)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(reason + ": with CI=true the swaks tests must run");
            }
            Assumptions.abort(reason + ": skipping; install it or set CI=true to make this a failure");
        }
    }

    public static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("swaks");
        command.addAll(List.of(args));
        Path transcript = Files.createTempFile("swaks", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(transcript.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("swaks did not finish within 60 s: " + command + "\n" + Files.readString(transcript));
            }
            return new Result(p.exitValue(), Files.readString(transcript, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(transcript);
        }
    }
}
