package dev.sealgate.smime.interop;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/** Runs an independent S/MIME implementation (openssl, gpgsm, NSS cmsutil) as a process; the test kit for ADR 0013 judges. */
public final class Peer {

    public record Result(int exit, String stdout, String stderr) {
        public boolean ok() {
            return exit == 0;
        }

        public String describe() {
            return "exit " + exit + ": " + stderr.strip();
        }
    }

    private Peer() {
    }

    /** Skips when the tool is missing, except on CI (env CI=true), where a missing peer fails the build. */
    public static void require(String tool, String... versionArgs) {
        boolean present;
        try {
            String[] cmd = new String[versionArgs.length + 1];
            cmd[0] = tool;
            System.arraycopy(versionArgs, 0, cmd, 1, versionArgs.length);
            present = run(Path.of(System.getProperty("java.io.tmpdir")), Map.of(), null, cmd).ok();
        } catch (RuntimeException e) {
            present = false;
        }
        if (!present) {
            missing(tool);
        }
    }

    /** Like {@link #require}, for tools without a version option that exits 0 (NSS's cmsutil, certutil): found on the PATH. */
    public static void requireOnPath(String tool) {
        boolean present = java.util.Arrays.stream(String.valueOf(System.getenv("PATH")).split(java.io.File.pathSeparator))
                .anyMatch(d -> java.nio.file.Files.isExecutable(Path.of(d, tool)));
        if (!present) {
            missing(tool);
        }
    }

    private static void missing(String tool) {
        String message = tool + " is not installed, so interoperability with it is not proven: install " + tool;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " (CI=true requires it)");
        }
        Assumptions.assumeTrue(false, message);
    }

    public static Result run(Path dir, Map<String, String> env, byte[] stdin, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile());
            pb.environment().putAll(env);
            Path out = java.nio.file.Files.createTempFile(dir, "peer", ".out");
            Path err = java.nio.file.Files.createTempFile(dir, "peer", ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process p = pb.start();
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin);
                }
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in 120 s");
            }
            Result r = new Result(p.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.ISO_8859_1),
                    java.nio.file.Files.readString(err, StandardCharsets.ISO_8859_1));
            java.nio.file.Files.deleteIfExists(out);
            java.nio.file.Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
