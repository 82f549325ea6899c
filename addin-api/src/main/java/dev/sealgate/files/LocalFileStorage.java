package dev.sealgate.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/** File contents under {@code <data-dir>/files}, two directory levels by key prefix. */
public final class LocalFileStorage implements FileStorage {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{8,128}");

    private final Path root;

    public LocalFileStorage(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    @Override
    public void put(String key, Path spoolFile) throws IOException {
        Path target = path(key);
        Files.createDirectories(target.getParent());
        Files.move(spoolFile, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public InputStream open(String key) throws IOException {
        return Files.newInputStream(path(key));
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(path(key));
    }

    @Override
    public boolean exists(String key) {
        return Files.exists(path(key));
    }

    private Path path(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("file storage key must be 8-128 characters of [A-Za-z0-9_-], was " + key.length() + " characters");
        }
        return root.resolve(key.substring(0, 2)).resolve(key);
    }
}
