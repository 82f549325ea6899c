package dev.sealgate.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The image tar that {@code package} built (docs/adr/0180), read without a container daemon: its
 * manifest and configuration, its layers, and its file system run the way a container runtime
 * would run it (own root, own process and mount namespace, the image's environment and working
 * directory), through {@code unshare}: {@code config check}, the service, and the command line.
 */
class ImageIT {

    private static final Path TAR = Path.of(System.getProperty("sealgate.image.tar", "target/sealgate-image.tar"));
    private static final String API_KEY = "image-test-admin-key-0123456789";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path work;

    static Path image;
    static JsonNode config;
    static List<String> layers;

    @BeforeAll
    static void unpack() throws Exception {
        if ("true".equals(System.getProperty("sealgate.image.skipped"))) {
            // a tar left from an earlier build would be checked in place of this build's: not at all
            String reason = "the image was not built (-Djib.skip)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(reason + ": with CI=true the image must be built and checked");
            }
            Assumptions.abort(reason + ": skipping the image checks");
        }
        assertThat(TAR).as("the image tar that package built").isRegularFile();
        image = Files.createDirectories(work.resolve("image"));
        run(work, "tar", "-xf", TAR.toString(), "-C", image.toString());
        JsonNode manifest = JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
        config = JSON.readTree(image.resolve(manifest.get("Config").asString()).toFile());
        layers = new ArrayList<>();
        manifest.get("Layers").forEach(layer -> layers.add(layer.asString()));
    }

    @Test
    void shouldDescribeANonRootServiceWithItsDataDirectoryAsAVolume() {
        JsonNode container = config.get("config");
        assertThat(container.get("Entrypoint").valueStream().map(JsonNode::asString).toList())
                .containsExactly("/opt/java/bin/java", "-jar", "/app/sealgate.jar");
        String user = container.get("User").asString();
        assertThat(user).as("a numeric user that is not root").matches("[0-9]+(:[0-9]+)?");
        assertThat(user.split(":")[0]).isNotEqualTo("0");
        assertThat(container.get("Volumes").propertyNames()).containsExactly("/var/lib/sealgate");
        assertThat(container.get("ExposedPorts").propertyNames()).containsExactlyInAnyOrder("8080/tcp", "2525/tcp");
        assertThat(container.get("Env").valueStream().map(JsonNode::asString).toList()).contains("SEALGATE_DATA_DIR=/var/lib/sealgate");
        assertThat(container.get("WorkingDir").asString()).isEqualTo("/app");
        assertThat(config.get("rootfs").get("diff_ids").size()).as("one diff id per layer").isEqualTo(layers.size());
    }

    @Test
    void shouldCarryTheRuntimeItsLibrariesTheJarAndADataDirectoryTheServiceUserMayWrite() throws Exception {
        Map<String, String> modes = new LinkedHashMap<>();
        for (String layer : layers) {
            String listing = run(work, "tar", "--warning=no-unknown-keyword", "-tvzf", image.resolve(layer).toString());
            for (String line : listing.split("\n")) {
                String[] fields = line.trim().split("\\s+", 6);
                if (fields.length == 6) {
                    modes.put(fields[5].replaceAll("/$", ""), fields[0] + " " + fields[1]);
                }
            }
        }
        assertThat(modes.get("opt/java/bin/java")).startsWith("-rwxr-xr-x");
        assertThat(modes.get("opt/java/lib/server/libjvm.so")).isNotNull();
        assertThat(modes.get("lib64/ld-linux-x86-64.so.2")).as("the dynamic loader java's ELF header names").isNotNull();
        assertThat(modes.get("app/sealgate.jar")).startsWith("-rw-r--r-- 0/0");
        String group = config.get("config").get("User").asString().split(":")[1];
        assertThat(modes.get("var/lib/sealgate")).as("writable by the service's group " + group)
                .isEqualTo("drwxrwxr-x 0/" + group);
        assertThat(modes.keySet()).as("no shell or package manager to exploit").doesNotContain("bin/sh", "usr/bin/apt");
    }

    @Test
    void shouldCheckTheConfigurationWithTheImagesOwnJava() throws Exception {
        Path root = rootFileSystem();
        Result version = inImage(root, Map.of(), "/opt/java/bin/java", "--version");
        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output()).contains("17.");

        Result valid = inImage(root, Map.of(), entrypoint("config", "check", "--sealgate.domains=corp.example"));
        assertThat(valid.exitCode()).as(valid.output()).isZero();
        assertThat(valid.output()).contains("data directory:      /var/lib/sealgate", "configuration is valid");

        Result invalid = inImage(root, Map.of(), entrypoint("config", "check", "--sealgate.smtp.port=twenty-five"));
        assertThat(invalid.exitCode()).as(invalid.output()).isEqualTo(2);
        assertThat(invalid.output()).contains("sealgate.smtp.port", "twenty-five");
    }

    @Test
    void shouldServeAndAnswerItsOwnCommandLineFromTheImagesFileSystem() throws Exception {
        Path root = rootFileSystem();
        int httpPort = freePort();
        Path log = work.resolve("service.log");
        Process service = new ProcessBuilder(unshare(root, entrypoint("--server.port=" + httpPort,
                "--sealgate.smtp.port=" + freePort(), "--sealgate.admin.api-key=" + API_KEY, "--sealgate.domains=corp.example")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(awaitHealth(service, httpPort)).as("the service in the image answers /actuator/health; its log:%n%s",
                    tail(log)).isEqualTo(200);
            Result queue = inImage(root, Map.of("SEALGATE_URL", "http://127.0.0.1:" + httpPort, "SEALGATE_API_KEY", API_KEY),
                    entrypoint("queue", "list"));
            assertThat(queue.exitCode()).as(queue.output()).isZero();
            assertThat(queue.output()).contains("[ ]");
            assertThat(Files.exists(root.resolve("var/lib/sealgate/db"))).as("the database in the volume").isTrue();
        } finally {
            // unshare ignores SIGTERM while it waits: stop the service itself, then unshare ends with it
            service.descendants().forEach(ProcessHandle::destroy);
            if (!service.waitFor(60, TimeUnit.SECONDS)) {
                service.descendants().forEach(ProcessHandle::destroyForcibly);
                service.destroyForcibly();
            }
        }
    }

    private static String[] entrypoint(String... args) {
        List<String> command = new ArrayList<>(config.get("config").get("Entrypoint").valueStream().map(JsonNode::asString).toList());
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }

    /** The layers extracted in order into one directory, plus what a container runtime mounts into it. */
    private static synchronized Path rootFileSystem() throws Exception {
        Path root = work.resolve("rootfs");
        if (Files.isDirectory(root)) {
            return root;
        }
        requireUnshare();
        Files.createDirectories(root);
        for (String layer : layers) {
            run(work, "tar", "--warning=no-unknown-keyword", "-xzf", image.resolve(layer).toString(), "-C", root.toString());
        }
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("etc/hosts"), "127.0.0.1\tlocalhost\n");
        Files.writeString(root.resolve("etc/resolv.conf"), "nameserver 127.0.0.1\n");
        return root;
    }

    private static void requireUnshare() throws Exception {
        Process probe = new ProcessBuilder("unshare", "-r", "-m", "-p", "-f", "true").redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (probe.waitFor() == 0) {
            return;
        }
        String reason = "unshare cannot make a user namespace here (" + output.trim() + ")";
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root || "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(reason + ": as root or with CI=true the image's file system must run");
        }
        Assumptions.abort(reason + ": skipping the run of the image's file system (kernel.unprivileged_userns_clone?)");
    }

    private static List<String> unshare(Path root, String... command) {
        String workingDirectory = config.get("config").get("WorkingDir").asString();
        List<String> line = new ArrayList<>(List.of("env", "-i"));
        config.get("config").get("Env").forEach(variable -> line.add(variable.asString()));
        line.addAll(List.of("unshare", "--map-root-user", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc",
                "--root=" + root, "--wd=" + workingDirectory));
        line.addAll(List.of(command));
        return line;
    }

    record Result(int exitCode, String output) {
    }

    private static Result inImage(Path root, Map<String, String> environment, String... command) throws Exception {
        List<String> line = unshare(root, command);
        List<String> withEnvironment = new ArrayList<>(line.subList(0, 2));
        environment.forEach((name, value) -> withEnvironment.add(name + "=" + value));
        withEnvironment.addAll(line.subList(2, line.size()));
        Path output = Files.createTempFile(work, "run", ".txt");
        Process process = new ProcessBuilder(withEnvironment).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        return new Result(process.waitFor(), Files.readString(output));
    }

    /** Polls /actuator/health until it answers or the service ends; at most five minutes on a busy machine. */
    private static int awaitHealth(Process service, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (service.isAlive() && System.nanoTime() < deadline) {
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/actuator/health").toURL()
                        .openConnection();
                connection.setConnectTimeout(2000);
                connection.setReadTimeout(10000);
                int status = connection.getResponseCode();
                connection.disconnect();
                if (status == 200) {
                    return status;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(1000);
        }
        return -1;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String run(Path directory, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("%s: %s", String.join(" ", command), output).isZero();
        return output;
    }
}
