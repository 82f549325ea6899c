package dev.sealgate.certs;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;

/** Whether a private key belongs to a public key, without exposing either. */
final class KeyPairs {

    private KeyPairs() {
    }

    static boolean matches(PublicKey publicKey, PrivateKey privateKey) {
        if (publicKey instanceof RSAPublicKey rsa && privateKey instanceof RSAPrivateCrtKey crt) {
            return rsa.getModulus().equals(crt.getModulus()) && rsa.getPublicExponent().equals(crt.getPublicExponent());
        }
        if (publicKey instanceof RSAPublicKey rsa && privateKey instanceof RSAPrivateKey plain) {
            return rsa.getModulus().equals(plain.getModulus());
        }
        if (publicKey instanceof ECPublicKey && privateKey instanceof ECPrivateKey) {
            return signsFor(publicKey, privateKey);
        }
        return false;
    }

    private static boolean signsFor(PublicKey publicKey, PrivateKey privateKey) {
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
