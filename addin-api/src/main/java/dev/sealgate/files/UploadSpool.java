package dev.sealgate.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Streams an upload body to a spool file, counting bytes against the limit and computing its
 * SHA-256 on the way; never holds more than the buffers in flight. Every buffer is released, also
 * when the limit is hit or the client goes away, and a failed upload leaves no spool file behind.
 */
final class UploadSpool {

    /** A completely written spool file. */
    record Spooled(Path file, long size, String sha256) {
    }

    private final Path directory;

    UploadSpool(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    Mono<Spooled> write(Flux<DataBuffer> body, long maxBytes) {
        return Mono.fromCallable(() -> Files.createTempFile(directory, "upload-", ".part"))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(file -> {
                    MessageDigest digest = LinkTokens.sha256();
                    AtomicLong size = new AtomicLong();
                    Flux<DataBuffer> counted = body.handle((buffer, sink) -> {
                        long total = size.addAndGet(buffer.readableByteCount());
                        if (total > maxBytes) {
                            DataBufferUtils.release(buffer);
                            sink.error(new FileTooLargeException(maxBytes));
                            return;
                        }
                        try (DataBuffer.ByteBufferIterator it = buffer.readableByteBuffers()) {
                            while (it.hasNext()) {
                                ByteBuffer bytes = it.next();
                                digest.update(bytes);
                            }
                        }
                        sink.next(buffer);
                    });
                    return DataBufferUtils.write(counted, file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
                            .then(Mono.fromCallable(() -> new Spooled(file, size.get(), HexFormat.of().formatHex(digest.digest()))))
                            .onErrorResume(e -> deleteQuietly(file).then(Mono.error(e)))
                            .doOnCancel(() -> deleteQuietly(file).subscribe());
                });
    }

    /**
     * Blocking: copies a stream (e.g. a decoded mail attachment) to a spool file the same way, so a
     * file of any size passes through a small buffer.
     */
    Spooled copy(InputStream in, long maxBytes) throws IOException {
        Path file = Files.createTempFile(directory, "attachment-", ".part");
        MessageDigest digest = LinkTokens.sha256();
        long size = 0;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                size += n;
                if (size > maxBytes) {
                    throw new FileTooLargeException(maxBytes);
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new Spooled(file, size, HexFormat.of().formatHex(digest.digest()));
    }

    private static Mono<Void> deleteQuietly(Path file) {
        return Mono.<Void>fromRunnable(() -> {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete spool file " + file, e);
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
