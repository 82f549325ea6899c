package dev.sealgate.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The service in a JVM of its own, for tests that need what one test JVM cannot give: a small
 * heap, or a kill -9. It runs on this test's class path; its output goes to a file.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Process process;

    private ServiceProcess(Process process) {
        this.process = process;
    }

    /**
     * Starts {@code dev.sealgate.SealgateApplication} with the given JVM options (e.g. {@code -Xmx256m})
     * and Spring arguments ({@code --key=value}).
     */
    public static ServiceProcess start(Path output, List<String> jvmOptions, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.sealgate.SealgateApplication"));
        command.addAll(arguments);
        return new ServiceProcess(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start());
    }

    /** Waits until {@code /actuator/health} on {@code httpPort} answers 200, for at most 3 minutes. */
    public void awaitHealthy(HttpClient http, int httpPort) throws InterruptedException {
        awaitHealthy(http, httpPort, Duration.ofMinutes(3));
    }

    /** Waits until {@code /actuator/health} on {@code httpPort} answers 200, for at most {@code timeout}. */
    public void awaitHealthy(HttpClient http, int httpPort, Duration timeout) throws InterruptedException {
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/actuator/health")).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service JVM exited with " + process.exitValue() + " before it became healthy");
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException stillStarting) {
                // not listening yet: try again below
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the service JVM did not become healthy within " + timeout);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the service without warning (SIGKILL, kill -9), as a crashed machine would stop, and waits for it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Stops the service the normal way (SIGTERM) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    /** A port nothing listens on at this moment. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
