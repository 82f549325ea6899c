package dev.sealgate.files;

import dev.sealgate.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrade in place: large files of the layout before the blob store ({@code <data-dir>/files/store/<ab>/<key>},
 * plain bytes) move into the blob store under {@code files/<key>}, encrypted. Each file is deleted only
 * after its blob is durable, so an interrupted start just moves the rest next time. The database
 * rows do not change: they name the file by its storage key, which stays the same.
 */
final class StoredFilesMigration {

    private static final Logger log = LoggerFactory.getLogger(StoredFilesMigration.class);

    private StoredFilesMigration() {
    }

    static int run(Path legacyStore, BlobStore blobs) {
        if (!Files.isDirectory(legacyStore)) {
            return 0;
        }
        int moved = 0;
        try (Stream<Path> walk = Files.walk(legacyStore)) {
            List<Path> files = walk.filter(Files::isRegularFile).toList();
            for (Path file : files) {
                try (InputStream in = Files.newInputStream(file)) {
                    blobs.put(LargeFiles.PREFIX + file.getFileName(), in);
                }
                Files.delete(file);
                moved++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not move the large files of " + legacyStore + " into the blob store ("
                    + moved + " moved so far); fix the cause and start again, the rest is moved then", e);
        }
        if (moved > 0) {
            log.info("Moved {} large files from {} into the blob store (encrypted at rest)", moved, legacyStore);
        }
        return moved;
    }
}
