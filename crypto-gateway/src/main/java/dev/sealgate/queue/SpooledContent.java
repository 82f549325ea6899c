package dev.sealgate.queue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A message's bytes as durably stored in the spool: read as often as needed, never changed.
 *
 * @param fileName name of the spool file (relative to the spool directory), kept in the queue rows
 * @param path     the file
 * @param size     its size in bytes
 */
public record SpooledContent(String fileName, Path path, long size) {

    public InputStream open() throws IOException {
        return Files.newInputStream(path);
    }
}
