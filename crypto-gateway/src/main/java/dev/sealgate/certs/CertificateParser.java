package dev.sealgate.certs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.CRLException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.encoders.DecoderException;

/**
 * Reads PEM (certificates, CRLs, private keys), DER (certificate or CRL) and PKCS#12. Refusals are
 * {@link IllegalArgumentException}s that say what the input is not; they never contain a password.
 */
public final class CertificateParser {

    private static final String PEM_START = "-----BEGIN";

    private CertificateParser() {
    }

    /**
     * @param password for a PKCS#12 file or an encrypted PEM private key; may be null otherwise. The
     *                 caller clears it afterwards.
     */
    public static CertificateBundle parse(byte[] data, char[] password) {
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("not a certificate: the request body is empty; send PEM, DER or PKCS#12");
        }
        if (new String(data, 0, Math.min(data.length, 4096), StandardCharsets.US_ASCII).contains(PEM_START)) {
            return parsePem(data, password);
        }
        return parseDer(data, password);
    }

    private static CertificateBundle parsePem(byte[] data, char[] password) {
        List<X509Certificate> certificates = new ArrayList<>();
        List<X509CRL> crls = new ArrayList<>();
        List<PrivateKey> keys = new ArrayList<>();
        JcaPEMKeyConverter keyConverter = new JcaPEMKeyConverter();
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(data), StandardCharsets.US_ASCII);
             PEMParser pem = new PEMParser(reader)) {
            Object object;
            while ((object = pem.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
                } else if (object instanceof X509CRLHolder holder) {
                    crls.add(new JcaX509CRLConverter().getCRL(holder));
                } else if (object instanceof PEMKeyPair pair) {
                    keys.add(keyConverter.getPrivateKey(pair.getPrivateKeyInfo()));
                } else if (object instanceof PrivateKeyInfo info) {
                    keys.add(keyConverter.getPrivateKey(info));
                } else if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    if (password == null || password.length == 0) {
                        throw new IllegalArgumentException("the PEM private key is encrypted: send its password");
                    }
                    try {
                        keys.add(keyConverter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                                new JceOpenSSLPKCS8DecryptorProviderBuilder().build(password))));
                    } catch (PKCSException | OperatorCreationException e) {
                        throw new IllegalArgumentException("wrong password for the encrypted PEM private key");
                    }
                } else {
                    throw new IllegalArgumentException("not a certificate: unsupported PEM block "
                            + object.getClass().getSimpleName() + "; send certificates, CRLs or PKCS#8 private keys");
                }
            }
        } catch (IOException | CertificateException | CRLException | DecoderException e) {
            throw new IllegalArgumentException("not a certificate: unreadable PEM (" + e.getMessage() + ")", e);
        }
        if (certificates.isEmpty() && crls.isEmpty()) {
            throw new IllegalArgumentException("not a certificate: the PEM data holds no CERTIFICATE or X509 CRL block");
        }
        List<CertificateBundle.KeyEntry> entries = new ArrayList<>();
        for (PrivateKey key : keys) {
            X509Certificate owner = certificates.stream()
                    .filter(c -> matches(c, key))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "the PEM private key belongs to none of the certificates sent with it; send its certificate too"));
            certificates.remove(owner);
            entries.add(new CertificateBundle.KeyEntry(owner, key, List.copyOf(certificates)));
        }
        return new CertificateBundle(entries, certificates, crls);
    }

    private static boolean matches(X509Certificate certificate, PrivateKey key) {
        return KeyPairs.matches(certificate.getPublicKey(), key);
    }

    private static CertificateBundle parseDer(byte[] data, char[] password) {
        try {
            Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(data));
            return new CertificateBundle(List.of(), List.of((X509Certificate) certificate), List.of());
        } catch (CertificateException notACertificate) {
            // Not a DER certificate; try a CRL and PKCS#12 next.
        }
        try {
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(data));
            return new CertificateBundle(List.of(), List.of(), List.of(crl));
        } catch (CertificateException | CRLException notACrl) {
            // Not a DER CRL either.
        }
        if (!isPkcs12(data)) {
            throw new IllegalArgumentException("not a certificate: the data is neither PEM, a DER certificate, "
                    + "a DER CRL nor PKCS#12");
        }
        return parsePkcs12(data, password);
    }

    private static boolean isPkcs12(byte[] data) {
        try {
            Pfx.getInstance(ASN1Primitive.fromByteArray(data));
            return true;
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            return false;
        }
    }

    private static CertificateBundle parsePkcs12(byte[] data, char[] password) {
        if (password == null) {
            throw new IllegalArgumentException("PKCS#12 needs its password: send it in the password field");
        }
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(data), password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new IllegalArgumentException("wrong PKCS#12 password");
            }
            throw new IllegalArgumentException("not a certificate: unreadable PKCS#12 (" + e.getClass().getSimpleName() + ")");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a certificate: unreadable PKCS#12 (" + e.getClass().getSimpleName() + ")");
        }
        List<CertificateBundle.KeyEntry> entries = new ArrayList<>();
        List<X509Certificate> others = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Key key = store.getKey(alias, password);
                    Certificate[] chain = store.getCertificateChain(alias);
                    if (key instanceof PrivateKey privateKey && chain != null && chain.length > 0) {
                        List<X509Certificate> above = new ArrayList<>();
                        for (Certificate c : Arrays.asList(chain).subList(1, chain.length)) {
                            above.add((X509Certificate) c);
                        }
                        entries.add(new CertificateBundle.KeyEntry((X509Certificate) chain[0], privateKey, above));
                    }
                } else if (store.getCertificate(alias) instanceof X509Certificate c) {
                    others.add(c);
                }
            }
        } catch (UnrecoverableKeyException e) {
            throw new IllegalArgumentException("wrong PKCS#12 password: the key entry uses a password other than the file's");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a certificate: unreadable PKCS#12 entry (" + e.getClass().getSimpleName() + ")");
        }
        CertificateBundle bundle = new CertificateBundle(entries, others, List.of());
        if (bundle.isEmpty()) {
            throw new IllegalArgumentException("not a certificate: the PKCS#12 file holds no certificate");
        }
        return bundle;
    }
}
