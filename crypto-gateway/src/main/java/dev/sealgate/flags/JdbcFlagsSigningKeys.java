package dev.sealgate.flags;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Flags signing keys in the database, private parts encrypted with AES-256-GCM under a
 * key-encryption key that never enters the database. Every node of a cluster sees the same keys, so
 * a token issued by one node verifies on any other. A rotation creates a key with a new key id and
 * retires the previous ones; a retired key still verifies tokens for {@code retention} (the longest
 * token lifetime), then it is no longer accepted.
 */
public final class JdbcFlagsSigningKeys implements FlagsSigningKeys {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecretKey keyEncryptionKey;
    private final Duration retention;
    private final SecureRandom random = new SecureRandom();

    public JdbcFlagsSigningKeys(DataSource dataSource, Clock clock, SecretKey keyEncryptionKey, Duration retention) {
        this.jdbc = JdbcClient.create(dataSource);
        this.clock = clock;
        this.keyEncryptionKey = keyEncryptionKey;
        this.retention = retention;
    }

    @Override
    public synchronized ECKey currentSigningKey() {
        Optional<byte[]> current = jdbc.sql("SELECT kid, encrypted_private_key FROM flags_signing_key "
                        + "WHERE retired_at IS NULL ORDER BY created_at DESC, kid LIMIT 1")
                .query((rs, row) -> decrypt(rs.getString("kid"), rs.getBytes("encrypted_private_key")))
                .optional();
        if (current.isPresent()) {
            return parse(current.get());
        }
        return create();
    }

    @Override
    public Optional<ECKey> verificationKey(String kid) {
        Instant retiredAfter = clock.instant().minus(retention);
        return jdbc.sql("SELECT public_jwk FROM flags_signing_key WHERE kid = ? AND (retired_at IS NULL OR retired_at > ?)")
                .params(kid, Timestamp.from(retiredAfter))
                .query((rs, row) -> rs.getString("public_jwk"))
                .optional()
                .map(JdbcFlagsSigningKeys::parsePublic);
    }

    /** Creates a new signing key and retires the others; returns the new key id. */
    public synchronized String rotate() {
        jdbc.sql("UPDATE flags_signing_key SET retired_at = ? WHERE retired_at IS NULL")
                .param(Timestamp.from(clock.instant()))
                .update();
        return create().getKeyID();
    }

    /** Deletes keys retired so long ago that no token they signed can still be valid; returns how many went. */
    public int deleteExpiredKeys() {
        return jdbc.sql("DELETE FROM flags_signing_key WHERE retired_at IS NOT NULL AND retired_at <= ?")
                .param(Timestamp.from(clock.instant().minus(retention)))
                .update();
    }

    private ECKey create() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        String kid = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        ECKey key;
        try {
            key = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate a P-256 flags signing key", e);
        }
        jdbc.sql("INSERT INTO flags_signing_key (kid, public_jwk, encrypted_private_key, created_at) VALUES (?, ?, ?, ?)")
                .params(kid, key.toPublicJWK().toJSONString(),
                        encrypt(kid, key.toJSONString().getBytes(StandardCharsets.UTF_8)),
                        Timestamp.from(clock.instant()))
                .update();
        return key;
    }

    private byte[] encrypt(String kid, byte[] plain) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keyEncryptionKey, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not encrypt flags signing key " + kid, e);
        }
    }

    /**
     * Re-encrypts the stored signing keys that are still under {@code previous} (an earlier
     * key-encryption key) with this store's; returns how many. Keys already under the current key
     * are left alone, so an interrupted migration simply runs again.
     *
     * @throws IllegalStateException a stored key opens with neither key
     */
    public synchronized int rewrap(SecretKey previous) {
        record Stored(String kid, byte[] encrypted) {
        }
        List<Stored> all = jdbc.sql("SELECT kid, encrypted_private_key FROM flags_signing_key")
                .query((rs, row) -> new Stored(rs.getString("kid"), rs.getBytes("encrypted_private_key")))
                .list();
        int rewrapped = 0;
        for (Stored stored : all) {
            try {
                open(keyEncryptionKey, stored.kid(), stored.encrypted());
                continue;
            } catch (GeneralSecurityException underCurrent) {
                byte[] plain;
                try {
                    plain = open(previous, stored.kid(), stored.encrypted());
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("flags signing key " + stored.kid() + " opens with neither the previous "
                            + "nor the current key-encryption key; restore the previous one, or rotate the flags key", e);
                }
                jdbc.sql("UPDATE flags_signing_key SET encrypted_private_key = ? WHERE kid = ?")
                        .params(encrypt(stored.kid(), plain), stored.kid())
                        .update();
                rewrapped++;
            }
        }
        return rewrapped;
    }

    private static byte[] open(SecretKey key, String kid, byte[] stored) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, IV_BYTES));
        cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(stored, IV_BYTES, stored.length - IV_BYTES);
    }

    private byte[] decrypt(String kid, byte[] stored) {
        try {
            return open(keyEncryptionKey, kid, stored);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not decrypt flags signing key " + kid + ": the key-encryption key "
                    + "(derived from the master key) is not the one it was encrypted with; restore the master key "
                    + "(sealgate.master-key or <data-dir>/master.key), or rotate the flags key", e);
        }
    }

    private static ECKey parse(byte[] json) {
        try {
            return ECKey.parse(new String(json, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new IllegalStateException("stored flags signing key is not a valid EC JWK", e);
        }
    }

    private static ECKey parsePublic(String json) {
        try {
            return ECKey.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("stored flags verification key is not a valid EC JWK", e);
        }
    }
}
