package dev.sealgate.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A command a test needs from Debian: found on the PATH, or the test is skipped with the reason,
 * and fails instead when {@code CI=true} (CI installs it in {@code .ci/run}).
 */
public final class RequiredTool {

    private RequiredTool() {
    }

    /** The absolute path of {@code command}, which Debian's {@code debianPackage} provides. */
    public static Path require(String command, String debianPackage) {
        Optional<Path> found = find(command);
        if (found.isPresent()) {
            return found.get();
        }
        String reason = command + " is not installed (Debian package " + debianPackage + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(reason + ": with CI=true this test must run; .ci/run installs it");
        }
        Assumptions.abort(reason + ": skipping; apt-get install -y " + debianPackage + " to run it");
        throw new AssertionError("unreachable");
    }

    private static Optional<Path> find(String command) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin" + File.pathSeparator + "/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
