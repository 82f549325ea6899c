package dev.sealgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The spool streams, hashes and limits uploads, and releases every buffer whatever happens. */
class UploadSpoolTest {

    @TempDir
    Path dir;

    private final NettyDataBufferFactory factory = new NettyDataBufferFactory(PooledByteBufAllocator.DEFAULT);
    private final List<ByteBuf> handedOut = new ArrayList<>();

    private Flux<DataBuffer> chunks(byte[] content, int chunk) {
        return Flux.range(0, (content.length + chunk - 1) / chunk).map(i -> {
            int from = i * chunk;
            DataBuffer buffer = factory.allocateBuffer(chunk);
            buffer.write(content, from, Math.min(chunk, content.length - from));
            handedOut.add(NettyDataBufferFactory.toByteBuf(buffer));
            return buffer;
        });
    }

    @Test
    void shouldWriteContentWithSizeAndSha256AndReleaseEveryBuffer() throws Exception {
        byte[] content = new byte[1_000_003];
        new Random(7).nextBytes(content);
        UploadSpool spool = new UploadSpool(dir);

        StepVerifier.create(spool.write(chunks(content, 8192), 2_000_000))
                .assertNext(spooled -> {
                    assertThat(spooled.size()).isEqualTo(content.length);
                    assertThat(spooled.sha256()).isEqualTo(sha256(content));
                    assertThat(readAll(spooled.file())).isEqualTo(content);
                })
                .verifyComplete();

        assertThat(handedOut).hasSize(123).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }

    @Test
    void shouldStopAtTheLimitLeaveNoSpoolFileAndReleaseEveryBuffer() throws Exception {
        byte[] content = new byte[100_000];
        UploadSpool spool = new UploadSpool(dir);

        StepVerifier.create(spool.write(chunks(content, 4096), 50_000))
                .expectError(FileTooLargeException.class)
                .verify();

        assertThat(handedOut).isNotEmpty().allSatisfy(b -> assertThat(b.refCnt()).isZero());
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
