package dev.sealgate.blob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.certs.MasterKey;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-system blob store under encryption at rest. */
class EncryptedFileBlobStoreTest implements BlobStoreContract {

    /** "SGB1", segment size, wrap nonce, wrapped key and its tag, nonce prefix. */
    private static final int HEADER = 4 + 4 + 12 + 32 + 16 + 7;
    private static final int SEGMENT = EncryptedBlobStore.SEGMENT;

    @TempDir
    Path dir;

    private EncryptedBlobStore store;
    private FileBlobStore files;

    @Override
    public EncryptedBlobStore store() {
        if (store == null) {
            files = new FileBlobStore(dir.resolve("blobs"));
            store = new EncryptedBlobStore(files, MasterKey.random());
        }
        return store;
    }

    @Override
    public byte[] storedBytes(String key) throws java.io.IOException {
        store();
        return Files.readAllBytes(files.root().resolve(key));
    }

    @Override
    public void replaceStoredBytes(String key, byte[] bytes) throws java.io.IOException {
        store();
        Files.write(files.root().resolve(key), bytes);
    }

    /**
     * ADR 0196: the sealing buffer grows as bytes come; the format must not change with it: full
     * segments of 64 KiB and a last one with the rest (full when the size is a multiple), each with its 16-byte tag.
     */
    @Test
    void shouldKeepTheSegmentLayoutAtEverySizeAroundTheBufferAndSegmentBoundaries() throws Exception {
        for (int size : new int[] {0, 1, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 32 * 1024 + 3, SEGMENT - 1, SEGMENT, SEGMENT + 1,
            2 * SEGMENT, 2 * SEGMENT + 5}) {
            byte[] content = new byte[size];
            new Random(size).nextBytes(content);
            String key = "sizes/b" + size;
            BlobInfo info = store().put(key, out -> {
                for (int off = 0; off < content.length; off += 7000) {
                    out.write(content, off, Math.min(7000, content.length - off));
                }
            });

            int segments = size == 0 ? 1 : (size + SEGMENT - 1) / SEGMENT; // an empty blob has one empty segment
            assertThat(storedBytes(key)).as("size %d", size).hasSize(HEADER + size + segments * 16);
            try (InputStream in = store().get(key, info)) {
                assertThat(in.readAllBytes()).as("size %d", size).isEqualTo(content);
            }
        }
    }

    /** A writer that stores another blob while it writes (same thread): the two sealings do not share a cipher. */
    @Test
    void shouldSealABlobStoredFromInsideAnotherOnesWriter() throws Exception {
        byte[] outer = new byte[40_000];
        byte[] inner = new byte[30_000];
        new Random(1).nextBytes(outer);
        new Random(2).nextBytes(inner);
        BlobInfo[] innerInfo = new BlobInfo[1];

        BlobInfo outerInfo = store().put("nested/outer", out -> {
            out.write(outer, 0, 20_000);
            innerInfo[0] = store().put("nested/inner", in -> in.write(inner));
            out.write(outer, 20_000, 20_000);
        });

        try (InputStream in = store().get("nested/outer", outerInfo)) {
            assertThat(in.readAllBytes()).isEqualTo(outer);
        }
        try (InputStream in = store().get("nested/inner", innerInfo[0])) {
            assertThat(in.readAllBytes()).isEqualTo(inner);
        }
    }
}
