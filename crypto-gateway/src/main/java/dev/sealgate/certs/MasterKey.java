package dev.sealgate.certs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 256-bit key that encrypts private keys at rest. Comes from {@code sealgate.master-key}
 * (base64) or is generated once into the data directory, readable by the owner only. Never
 * printed: {@link #toString()} hides it and no message here contains it.
 */
public final class MasterKey {

    private static final Logger log = LoggerFactory.getLogger(MasterKey.class);
    private static final int LENGTH = 32;

    private final SecretKey key;

    private MasterKey(byte[] raw) {
        this.key = new SecretKeySpec(raw, "AES");
    }

    /** Decodes a configured master key; the message on bad input never repeats the input. */
    public static MasterKey fromBase64(String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sealgate.master-key is not valid base64: set it to 32 random bytes "
                    + "in base64, for example the output of `openssl rand -base64 32`");
        }
        if (raw.length != LENGTH) {
            throw new IllegalArgumentException("sealgate.master-key must be 256 bits (32 bytes in base64), was "
                    + raw.length + " bytes: generate one with `openssl rand -base64 32`");
        }
        return new MasterKey(raw);
    }

    public static MasterKey random() {
        byte[] raw = new byte[LENGTH];
        new SecureRandom().nextBytes(raw);
        return new MasterKey(raw);
    }

    /**
     * Reads the master key file, or generates it with permissions rw------- when it does not exist
     * yet, with a warning that the key now lives beside the data it protects.
     */
    public static MasterKey loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            MasterKey created = random();
            byte[] encoded = Base64.getEncoder().encode(created.key.getEncoded());
            try {
                Files.write(createOwnerOnly(file), encoded);
            } catch (FileAlreadyExistsException raced) {
                return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
            }
            log.warn("No master key configured: generated one into {} (owner-only permissions). Private keys in the "
                    + "database are encrypted under it; back it up apart from the database, or set "
                    + "sealgate.master-key (environment variable SEALGATE_MASTER_KEY) instead.", file.toAbsolutePath());
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or create the master key file " + file.toAbsolutePath()
                    + ": make the data directory writable or set sealgate.master-key", e);
        }
    }

    private static Path createOwnerOnly(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
            FileAttribute<Set<PosixFilePermission>> attribute = PosixFilePermissions.asFileAttribute(ownerOnly);
            return Files.createFile(file, attribute);
        }
        return Files.createFile(file);
    }

    SecretKey secretKey() {
        return key;
    }

    /**
     * A secret derived for one purpose (HMAC-SHA256 over the purpose), for example the password of
     * the local CA's PKCS#12 file. Different purposes give unrelated secrets.
     */
    public char[] derivePassword(String purpose) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac("sealgate/" + purpose)).toCharArray();
    }

    /**
     * A 256-bit AES key derived for one purpose, for example the key that encrypts the flags signing
     * keys; unrelated to every password and to the keys of other purposes.
     */
    public SecretKey deriveKey(String purpose) {
        return new SecretKeySpec(hmac("sealgate/key/" + purpose), "AES");
    }

    private byte[] hmac(String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[(hidden)]";
    }
}
