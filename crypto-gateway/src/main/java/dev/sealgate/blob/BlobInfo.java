package dev.sealgate.blob;

import java.util.HexFormat;

/**
 * What the service records about a blob when it stores it, and checks on every read.
 *
 * @param size   its length in bytes
 * @param sha256 the SHA-256 of its bytes, 64 lower-case hex digits
 */
public record BlobInfo(long size, String sha256) {

    public BlobInfo {
        if (size < 0) {
            throw new IllegalArgumentException("a blob's size cannot be negative, was " + size);
        }
        if (!isLowerHex64(sha256)) {
            throw new IllegalArgumentException("a blob's SHA-256 must be 64 lower-case hex digits");
        }
    }

    private static boolean isLowerHex64(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    public static BlobInfo of(long size, byte[] sha256) {
        return new BlobInfo(size, HexFormat.of().formatHex(sha256));
    }
}
