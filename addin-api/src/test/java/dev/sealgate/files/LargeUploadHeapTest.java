package dev.sealgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.testkit.ServiceProcess;
import dev.sealgate.testkit.TestIdentityProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB upload to a service running in its own JVM with {@code -Xmx256m}: it only works if the
 * body is streamed. The GC log of that JVM gives the heap actually used; the test writes it to
 * {@code target/large-upload-heap.txt}.
 */
class LargeUploadHeapTest {

    private static final long SIZE = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void shouldStoreAOneGigabyteUploadInAServiceWith256MegabytesOfHeap() throws Exception {
        try (TestIdentityProvider idp = new TestIdentityProvider()) {
            int port = ServiceProcess.freePort();
            Path gcLog = dir.resolve("gc.log");
            ServiceProcess service = ServiceProcess.start(dir.resolve("service.out"),
                    List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + gcLog),
                    List.of("--server.port=" + port,
                            "--sealgate.data-dir=" + dir.resolve("data"),
                            "--sealgate.files.max-file-size=2GB",
                            "--sealgate.domains=example.org",
                            "--sealgate.addin.auth.issuer=" + TestIdentityProvider.ISSUER,
                            "--sealgate.addin.auth.audience=" + TestIdentityProvider.AUDIENCE,
                            "--sealgate.addin.auth.jwk-set-uri=" + idp.jwksUrl()));
            try (service) {
                HttpClient http = HttpClient.newHttpClient();
                service.awaitHealthy(http, port);

                GeneratedContent content = new GeneratedContent(SIZE);
                HttpRequest upload = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/files?name=big.bin"))
                        .header("Authorization", "Bearer " + idp.token("alice@example.org"))
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> content), SIZE))
                        .build();
                HttpResponse<String> response = http.send(upload, HttpResponse.BodyHandlers.ofString());

                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                assertThat(response.body()).contains("\"size\":" + SIZE).contains("\"sha256\":\"" + content.sha256() + "\"");
                try (Stream<Path> stored = Files.walk(dir.resolve("data").resolve("files").resolve("store"))) {
                    assertThat(stored.filter(Files::isRegularFile).mapToLong(LargeUploadHeapTest::size).sum()).isEqualTo(SIZE);
                }
                assertThat(service.isAlive()).isTrue();
                record(gcLog);
            }
        }
    }

    private static void record(Path gcLog) throws IOException {
        Pattern transition = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
        long peak = 0;
        long capacity = 0;
        int collections = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = transition.matcher(line);
            if (m.find()) {
                collections++;
                peak = Math.max(peak, Long.parseLong(m.group(1)));
                capacity = Math.max(capacity, Long.parseLong(m.group(3)));
            }
        }
        String measurement = "1 GiB upload with -Xmx256m: " + collections + " GCs, largest heap before a GC " + peak
                + " MB, largest committed heap " + capacity + " MB\n";
        Files.writeString(Path.of("target", "large-upload-heap.txt"), measurement);
        System.out.print(measurement);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }



    /** {@code size} bytes of a repeated random block, hashed as they are read. */
    private static final class GeneratedContent extends InputStream {

        private final byte[] block = new byte[1 << 20];
        private final MessageDigest digest;
        private long remaining;

        GeneratedContent(long size) throws Exception {
            new Random(42).nextBytes(block);
            this.digest = MessageDigest.getInstance("SHA-256");
            this.remaining = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            long position = SIZE - remaining;
            int offsetInBlock = (int) (position % block.length);
            int n = (int) Math.min(Math.min(len, block.length - offsetInBlock), remaining);
            System.arraycopy(block, offsetInBlock, b, off, n);
            digest.update(b, off, n);
            remaining -= n;
            return n;
        }

        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
