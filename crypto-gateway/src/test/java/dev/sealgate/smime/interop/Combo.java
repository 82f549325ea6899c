package dev.sealgate.smime.interop;

import dev.sealgate.smime.ContentEncryption;
import dev.sealgate.smime.DigestAlgorithm;
import dev.sealgate.smime.KeyEncryption;
import dev.sealgate.smime.SignatureFormat;
import dev.sealgate.smime.SignatureScheme;
import dev.sealgate.smime.TestPki.KeyKind;

import java.util.ArrayList;
import java.util.List;

/** Named algorithm combinations for the interop matrix; the names appear in the Surefire report. */
final class Combo {

    private Combo() {
    }

    record Sign(KeyKind key, SignatureScheme scheme, DigestAlgorithm digest, SignatureFormat format) {
        @Override
        public String toString() {
            String s = key.ec() ? "ECDSA" : scheme == SignatureScheme.RSA_PSS ? "PSS" : "PKCS#1v1.5";
            return key + " " + s + " " + digest.micalg().toUpperCase() + " " + format.name().toLowerCase();
        }
    }

    record Encrypt(KeyKind key, KeyEncryption keyEncryption, ContentEncryption content) {
        @Override
        public String toString() {
            String k = switch (keyEncryption) {
                case RSA_PKCS1_V15 -> "PKCS#1v1.5";
                case RSA_OAEP -> "OAEP";
                case ECDH -> "ECDH";
            };
            return key + " " + k + " " + label(content);
        }
    }

    static String label(ContentEncryption c) {
        return switch (c) {
            case AES128_CBC -> "AES-128-CBC";
            case AES256_CBC -> "AES-256-CBC";
            case AES128_GCM -> "AES-128-GCM";
            case AES256_GCM -> "AES-256-GCM";
        };
    }

    static String opensslCipher(ContentEncryption c) {
        return "-" + label(c).toLowerCase();
    }

    static String opensslDigest(DigestAlgorithm d) {
        return d.micalg().replace("-", "");
    }

    static List<Sign> allSign() {
        List<Sign> all = new ArrayList<>();
        for (KeyKind k : KeyKind.values()) {
            for (DigestAlgorithm d : DigestAlgorithm.values()) {
                for (SignatureFormat f : SignatureFormat.values()) {
                    all.add(new Sign(k, SignatureScheme.RSA_PKCS1_V15, d, f));
                    if (!k.ec()) {
                        all.add(new Sign(k, SignatureScheme.RSA_PSS, d, f));
                    }
                }
            }
        }
        return all;
    }

    static List<Encrypt> allEncrypt() {
        List<Encrypt> all = new ArrayList<>();
        for (KeyKind k : KeyKind.values()) {
            List<KeyEncryption> kes = k.ec() ? List.of(KeyEncryption.ECDH)
                    : List.of(KeyEncryption.RSA_PKCS1_V15, KeyEncryption.RSA_OAEP);
            for (KeyEncryption ke : kes) {
                for (ContentEncryption c : ContentEncryption.values()) {
                    all.add(new Encrypt(k, ke, c));
                }
            }
        }
        return all;
    }
}
