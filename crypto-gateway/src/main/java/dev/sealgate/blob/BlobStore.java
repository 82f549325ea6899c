package dev.sealgate.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Bytes by key, written once and read as often as needed: message bodies in the spool, large files.
 * {@link #put} returns only when the bytes are durable (file system: file and directory fsynced;
 * S3: the PUT completed), so a caller may commit the database rows that point at them. Keys are
 * made by the service, never by a user: one to four segments of {@code [A-Za-z0-9_-][A-Za-z0-9._-]*}
 * (base64url tokens included; never a leading dot)
 * separated by {@code /}, for example {@code spool/20261130T151000-ab12.eml}. All methods block.
 */
public interface BlobStore {

    /** Writes a blob's bytes into the given stream. */
    @FunctionalInterface
    interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A stored blob as a listing shows it. */
    record Listed(String key, Instant lastModified) {
    }

    /**
     * Stores what {@code writer} writes under {@code key}, replacing what was there. Nothing is
     * visible under the key until the whole blob is durable; when the writer fails, nothing is kept.
     *
     * @return size and SHA-256 of the bytes written (before any encryption at rest)
     */
    BlobInfo put(String key, Writer writer) throws IOException;

    default BlobInfo put(String key, InputStream content) throws IOException {
        return put(key, content::transferTo);
    }

    /**
     * As {@link #put(String, Writer)}, for a caller that measures the bytes itself (the encryption at
     * rest, which hashes the plain bytes): a store may then skip hashing what it writes (ADR 0196).
     * Equally durable.
     */
    default void putUnmeasured(String key, Writer writer) throws IOException {
        put(key, writer);
    }

    /**
     * The bytes as stored, unchecked; prefer {@link #get(String, BlobInfo)}.
     *
     * @throws java.nio.file.NoSuchFileException nothing stored under this key
     */
    InputStream get(String key) throws IOException;

    /**
     * The bytes, checked against the size and SHA-256 recorded when they were stored: a stream that
     * ends early, runs long or hashes differently throws {@link BlobIntegrityException} before it
     * hands out the last byte, so no reader ever takes a damaged blob for a complete one.
     */
    default InputStream get(String key, BlobInfo expected) throws IOException {
        return new VerifiedInputStream(get(key), expected, key);
    }

    /** Deletes the blob; no error when it is already gone. */
    void delete(String key) throws IOException;

    boolean exists(String key) throws IOException;

    /** Every blob whose key starts with {@code prefix} (a key followed by {@code /}), in no order. */
    List<Listed> list(String prefix) throws IOException;

    /**
     * The shape of a valid key, as a pattern; {@link #checkKey} checks the same by hand (a key is
     * checked several times per message, and the pattern's character classes were ~2 % of the CPU
     * of pass-through mail). {@code BlobKeysTest} holds the two to each other.
     */
    Pattern KEY = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}(/[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}){0,3}");

    /** Refuses a key that is not of the documented shape (and so could escape the store). */
    static String checkKey(String key) {
        if (!isValidKey(key)) {
            throw new IllegalArgumentException("blob key must be 1-4 segments of [A-Za-z0-9_-][A-Za-z0-9._-]* separated by '/', was "
                    + (key == null ? "null" : key.length() + " characters"));
        }
        return key;
    }

    /** Whether the key has the shape of {@link #KEY} and holds no {@code ..}. */
    static boolean isValidKey(String key) {
        if (key == null || key.isEmpty() || key.length() > 4 * 201) {
            return false;
        }
        int segments = 1;
        int segmentLength = 0;
        char previous = '/';
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '/') {
                if (segmentLength == 0 || ++segments > 4) {
                    return false;
                }
                segmentLength = 0;
            } else {
                boolean word = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-';
                if (!word && (c != '.' || segmentLength == 0 || previous == '.')) {
                    return false;
                }
                if (++segmentLength > 200) {
                    return false;
                }
            }
            previous = c;
        }
        return segmentLength > 0;
    }

    /** Refuses a listing prefix that is not a key followed by {@code /}. */
    static String checkPrefix(String prefix) {
        if (prefix == null || !prefix.endsWith("/")) {
            throw new IllegalArgumentException("a blob listing prefix is a key followed by '/', was " + prefix);
        }
        checkKey(prefix.substring(0, prefix.length() - 1));
        return prefix;
    }
}
