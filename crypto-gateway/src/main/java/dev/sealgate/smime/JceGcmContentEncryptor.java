package dev.sealgate.smime;

import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JceGenericKey;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * AES-GCM content encryption for authenticated-enveloped-data through any JCA provider.
 * Bouncy Castle's own builder asks the provider for a key generator by GCM object identifier, which
 * SunJCE does not register; this operator uses plain "AES" and "AES/GCM/NoPadding" so that SunJCE's
 * AES-NI path does the bulk work (ADR 0010). The 16-byte tag is cut off the ciphertext and handed to
 * CMS as the MAC, as RFC 5083 stores it apart.
 */
final class JceGcmContentEncryptor implements OutputAEADEncryptor {

    private static final int TAG_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AlgorithmIdentifier algorithm;
    private final SecretKey key;
    private final Cipher cipher;
    private byte[] tag;

    JceGcmContentEncryptor(ContentEncryption encryption, Provider provider) throws GeneralSecurityException {
        if (!encryption.authenticated()) {
            throw new IllegalArgumentException(encryption + " is not an AEAD algorithm");
        }
        KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
        generator.init(encryption == ContentEncryption.AES128_GCM ? 128 : 256, RANDOM);
        this.key = generator.generateKey();
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        this.cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
        this.cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
        this.algorithm = new AlgorithmIdentifier(encryption.oid(), new GCMParameters(nonce, TAG_BYTES));
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithm;
    }

    @Override
    public GenericKey getKey() {
        return new JceGenericKey(algorithm, key);
    }

    @Override
    public OutputStream getAADStream() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                cipher.updateAAD(new byte[]{(byte) b});
            }

            @Override
            public void write(byte[] b, int off, int len) {
                cipher.updateAAD(b, off, len);
            }
        };
    }

    @Override
    public OutputStream getOutputStream(OutputStream out) {
        return new FilterOutputStream(out) {
            private final byte[] one = new byte[1];

            @Override
            public void write(int b) throws IOException {
                one[0] = (byte) b;
                write(one, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                byte[] c = cipher.update(b, off, len);
                if (c != null && c.length > 0) {
                    out.write(c);
                }
            }

            @Override
            public void close() throws IOException {
                try {
                    byte[] last = cipher.doFinal();
                    out.write(last, 0, last.length - TAG_BYTES);
                    tag = Arrays.copyOfRange(last, last.length - TAG_BYTES, last.length);
                } catch (GeneralSecurityException e) {
                    throw new IOException("AES-GCM finalisation failed", e);
                }
                // The CMS generator closes its own octet stream after this one; closing it here would end it twice.
                out.flush();
            }
        };
    }

    @Override
    public byte[] getMAC() {
        if (tag == null) {
            throw new IllegalStateException("the content stream is not closed yet");
        }
        return tag.clone();
    }
}
