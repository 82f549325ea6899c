package dev.sealgate.certs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts private keys for the database: AES-256-GCM under the master key, with the certificate's
 * SHA-256 fingerprint as associated data, so a ciphertext moved to another row does not decrypt.
 * Layout: version (1 byte) | nonce (12 bytes) | ciphertext and tag.
 */
public final class PrivateKeyCipher {

    private static final byte VERSION = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final MasterKey masterKey;
    private final SecureRandom random = new SecureRandom();

    public PrivateKeyCipher(MasterKey masterKey) {
        this.masterKey = masterKey;
    }

    /**
     * @param binding what the ciphertext belongs to (a certificate fingerprint, or an enrollment
     *                request id while the certificate is not issued yet); opening needs the same
     */
    public byte[] seal(PrivateKey key, String binding) {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        byte[] plain = key.getEncoded();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, masterKey.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(binding));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(1 + NONCE + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    public PrivateKey open(byte[] sealed, String binding, String keyAlgorithm) {
        if (sealed.length < 1 + NONCE + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new IllegalStateException("the stored private key of " + binding
                    + " is not in a format this version understands");
        }
        byte[] plain = null;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, masterKey.secretKey(),
                    new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE));
            cipher.updateAAD(associatedData(binding));
            plain = cipher.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE);
            return KeyFactory.getInstance(keyAlgorithm).generatePrivate(new PKCS8EncodedKeySpec(plain));
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("the private key of " + binding
                    + " does not decrypt under the configured master key (wrong sealgate.master-key, or the key "
                    + "belongs to another certificate)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not restore the private key of " + binding
                    + " (" + e.getClass().getSimpleName() + ")");
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private static byte[] associatedData(String binding) {
        return ("sealgate/private-key/v1/" + binding).getBytes(StandardCharsets.US_ASCII);
    }
}
