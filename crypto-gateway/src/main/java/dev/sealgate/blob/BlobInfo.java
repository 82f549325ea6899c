package dev.sealgate.blob;

import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * What the service records about a blob when it stores it, and checks on every read.
 *
 * @param size   its length in bytes
 * @param sha256 the SHA-256 of its bytes, 64 lower-case hex digits
 */
public record BlobInfo(long size, String sha256) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public BlobInfo {
        if (size < 0) {
            throw new IllegalArgumentException("a blob's size cannot be negative, was " + size);
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("a blob's SHA-256 must be 64 lower-case hex digits");
        }
    }

    public static BlobInfo of(long size, byte[] sha256) {
        return new BlobInfo(size, HexFormat.of().formatHex(sha256));
    }
}
