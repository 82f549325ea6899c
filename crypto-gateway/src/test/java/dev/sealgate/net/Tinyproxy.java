package dev.sealgate.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real HTTP proxy for tests: {@code tinyproxy} in the foreground on a free loopback port, with
 * Basic authentication when asked ({@code BasicAuth}). Without tinyproxy the test is skipped,
 * except with {@code CI=true}, where that is a failure.
 */
public final class Tinyproxy implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private Tinyproxy(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts tinyproxy; {@code username} null means no authentication. */
    public static Tinyproxy start(Path dir, String username, String password) throws IOException, InterruptedException {
        requireInstalled();
        Files.createDirectories(dir);
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path log = dir.resolve("tinyproxy.log");
        StringBuilder conf = new StringBuilder()
                .append("Port ").append(port).append('\n')
                .append("Listen 127.0.0.1\n")
                .append("Timeout 30\n")
                .append("MaxClients 20\n")
                .append("LogLevel Info\n")
                .append("LogFile \"").append(log).append("\"\n")
                .append("Allow 127.0.0.1\n");
        if (username != null) {
            conf.append("BasicAuth ").append(username).append(' ').append(password).append('\n');
        }
        Path file = dir.resolve("tinyproxy.conf");
        Files.writeString(file, conf);
        Process process = new ProcessBuilder("tinyproxy", "-d", "-c", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("tinyproxy.out").toFile()).start();
        Tinyproxy proxy = new Tinyproxy(process, port, log);
        proxy.awaitListening();
        return proxy;
    }

    private void awaitListening() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("tinyproxy ended at start: " + Files.readString(log.resolveSibling("tinyproxy.out")));
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        close();
        throw new IllegalStateException("tinyproxy did not listen on port " + port + " within 20 s");
    }

    public static void requireInstalled() {
        boolean found = System.getenv("PATH") != null && java.util.Arrays.stream(System.getenv("PATH").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "tinyproxy")));
        if (!found) {
            String reason = "tinyproxy is not on the PATH (Debian package tinyproxy)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(reason + ": with CI=true the proxy tests must run");
            }
            Assumptions.abort(reason + ": skipping; install it or set CI=true to make this a failure");
        }
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}, as error messages name the proxy. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /**
     * The requests tinyproxy took so far, as it logs them: {@code "POST http://localhost:1234/v2/... HTTP/1.1"}
     * for plain HTTP, {@code "CONNECT localhost:1234 HTTP/1.1"} for a tunnel.
     */
    public List<String> requests() throws IOException {
        if (!Files.exists(log)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.contains("]: Request (file descriptor "))
                    .map(line -> line.substring(line.indexOf("): ", line.indexOf("Request (file descriptor ")) + 3))
                    .toList();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
