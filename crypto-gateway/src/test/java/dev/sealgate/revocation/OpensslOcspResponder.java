package dev.sealgate.revocation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OCSP responder for tests: {@code openssl ocsp} serving an index of the test PKI on a port
 * it picks itself ({@code -port 0}; the port is read from its "ACCEPT" line, so it listens before
 * any test asks), answering at most {@code -nrequest} requests. Without openssl the test is skipped,
 * except with {@code CI=true}, where that is a failure.
 */
public final class OpensslOcspResponder implements AutoCloseable {

    private static final Pattern ACCEPT = Pattern.compile("ACCEPT .*:(\\d+)");

    private final Process process;
    private final int port;

    private OpensslOcspResponder(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a responder for the issuing CA of the files written by {@link RevocationPki#writeResponderFiles}.
     *
     * @param signerCertificate file name (in {@code dir}) of the certificate that signs the answers
     * @param signerKey         file name of its key
     */
    public static OpensslOcspResponder start(Path dir, String signerCertificate, String signerKey, int maxRequests)
            throws IOException, InterruptedException {
        requireInstalled();
        List<String> command = new ArrayList<>(List.of("openssl", "ocsp", "-index", dir.resolve("index.txt").toString(),
                "-port", "0", "-CA", dir.resolve("ca.pem").toString(),
                "-rsigner", dir.resolve(signerCertificate).toString(), "-rkey", dir.resolve(signerKey).toString(),
                "-nmin", "10", "-nrequest", Integer.toString(maxRequests), "-ignore_err"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> readPort(process));
        try {
            return new OpensslOcspResponder(process, port.get(30, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("openssl ocsp did not start listening: " + e, e);
        }
    }

    private static int readPort(Process process) {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = out.readLine()) != null) {
                Matcher m = ACCEPT.matcher(line);
                if (m.find()) {
                    int port = Integer.parseInt(m.group(1));
                    // keep draining its output so it never blocks on a full pipe
                    Thread drain = new Thread(() -> {
                        try {
                            while (out.readLine() != null) {
                                // discarded: the responder's log of each request
                            }
                        } catch (IOException ignored) {
                            // the process ended
                        }
                    }, "openssl-ocsp-output");
                    drain.setDaemon(true);
                    drain.start();
                    return port;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("openssl ocsp ended without listening");
    }

    public static void requireInstalled() throws InterruptedException {
        boolean present;
        try {
            present = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            present = false;
        }
        if (!present) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("openssl is not on the PATH: with CI=true the revocation tests must run");
            }
            Assumptions.abort("openssl is not on the PATH: skipping; install it or set CI=true to make this a failure");
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/";
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
