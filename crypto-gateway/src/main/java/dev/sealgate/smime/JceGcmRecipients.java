package dev.sealgate.smime;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.InputStreamWithMAC;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientOperator;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipient;
import org.bouncycastle.jcajce.io.CipherInputStream;
import org.bouncycastle.operator.InputAEADDecryptor;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.Provider;

/**
 * Recipients for authenticated-enveloped-data whose AES-GCM runs on a JCA provider that knows GCM only
 * by name: Bouncy Castle's own recipients look ciphers and parameters up by object identifier, which
 * SunJCE does not register. The key unwrap stays with Bouncy Castle. Package-private.
 */
final class JceGcmRecipients {

    private JceGcmRecipients() {
    }

    static Recipient keyTrans(PrivateKey key, Provider gcm) {
        return new KeyTrans(key, gcm).setProvider(JcaProviders.BC);
    }

    static Recipient keyAgree(PrivateKey key, Provider gcm) {
        return new KeyAgree(key, gcm).setProvider(JcaProviders.BC);
    }

    private static final class KeyTrans extends JceKeyTransRecipient {
        private final Provider gcm;

        KeyTrans(PrivateKey key, Provider gcm) {
            super(key);
            this.gcm = gcm;
        }

        @Override
        public RecipientOperator getRecipientOperator(AlgorithmIdentifier keyEncryption, AlgorithmIdentifier content,
                                                      byte[] encryptedKey) throws CMSException {
            return new RecipientOperator(new Decryptor(content, extractSecretKey(keyEncryption, content, encryptedKey), gcm));
        }
    }

    private static final class KeyAgree extends JceKeyAgreeRecipient {
        private final Provider gcm;

        KeyAgree(PrivateKey key, Provider gcm) {
            super(key);
            this.gcm = gcm;
        }

        @Override
        public RecipientOperator getRecipientOperator(AlgorithmIdentifier keyEncryption, AlgorithmIdentifier content,
                                                      SubjectPublicKeyInfo senderKey, ASN1OctetString userKeyingMaterial,
                                                      byte[] encryptedKey) throws CMSException {
            Key key = extractSecretKey(keyEncryption, content, senderKey, userKeyingMaterial, encryptedKey);
            return new RecipientOperator(new Decryptor(content, key, gcm));
        }
    }

    /** CMS hands the tag after the ciphertext, which is where a JCA GCM cipher expects it. */
    private static final class Decryptor implements InputAEADDecryptor {
        private final AlgorithmIdentifier algorithm;
        private final Cipher cipher;
        private InputStream input;

        Decryptor(AlgorithmIdentifier algorithm, Key key, Provider provider) throws CMSException {
            this.algorithm = algorithm;
            try {
                GCMParameters params = GCMParameters.getInstance(algorithm.getParameters());
                this.cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
                this.cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.getEncoded(), "AES"),
                        new GCMParameterSpec(params.getIcvLen() * 8, params.getNonce()));
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new CMSException("cannot set up AES-GCM decryption: " + e.getMessage(), e);
            }
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
        }

        @Override
        public InputStream getInputStream(InputStream encrypted) {
            this.input = encrypted;
            return new CipherInputStream(encrypted, cipher);
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
        public byte[] getMAC() {
            return input instanceof InputStreamWithMAC withMac ? withMac.getMAC() : null;
        }
    }
}
