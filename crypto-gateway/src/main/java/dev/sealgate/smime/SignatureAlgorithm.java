package dev.sealgate.smime;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The algorithms one signature was made with (digest, signature algorithm, the signer's key size)
 * and what is too weak about them today: SHA-1, MD5 or MD2, an RSA or DSA key under 2048 bits.
 * {@link SmimeVerifier} judges whether a signature holds; whether a weak one is accepted is the
 * caller's policy, so this is a separate reading of the same signature.
 *
 * @param digest     the digest's name, e.g. {@code SHA256}, {@code SHA1}
 * @param signature  the signature algorithm's name, e.g. {@code RSA}, {@code SHA1WITHRSA}, {@code RSASSAPSS}
 * @param keyBits    the size of the signer's RSA or DSA modulus or of its EC key's order; 0 when unknown
 * @param weaknesses what is weak, one phrase each ("SHA-1 digest", "RSA key of 1024 bits"); empty when nothing
 */
public record SignatureAlgorithm(String digest, String signature, int keyBits, List<String> weaknesses) {

    /** The smallest RSA or DSA key that is not weak. */
    public static final int MINIMUM_KEY_BITS = 2048;

    private static final Map<String, String> WEAK_DIGESTS = Map.of(
            "1.3.14.3.2.26", "SHA-1",
            "1.2.840.113549.2.5", "MD5",
            "1.2.840.113549.2.2", "MD2");
    private static final Map<String, String> WEAK_SIGNATURES = Map.of(
            "1.2.840.113549.1.1.5", "SHA-1",
            "1.2.840.113549.1.1.4", "MD5",
            "1.2.840.113549.1.1.2", "MD2",
            "1.2.840.10045.4.1", "SHA-1",
            "1.2.840.10040.4.3", "SHA-1");
    private static final DefaultAlgorithmNameFinder NAMES = new DefaultAlgorithmNameFinder();

    public SignatureAlgorithm {
        weaknesses = List.copyOf(weaknesses);
    }

    /** True when nothing about the signature is weak. */
    public boolean strong() {
        return weaknesses.isEmpty();
    }

    /**
     * Reads the algorithms of the signature that {@code signer} made on a signed message
     * (detached or opaque). Empty when the message carries no signature by that certificate.
     */
    public static Optional<SignatureAlgorithm> of(MimeMessage signed, X509Certificate signer) {
        SmimeType type = SmimeInspector.detect(signed);
        if (!type.signed()) {
            throw new SmimeFormatException("the message is " + type + ", not signed: it has no signature algorithm");
        }
        try {
            X509CertificateHolder holder = new X509CertificateHolder(signer.getEncoded());
            for (SignerInformation info : signerInfos(signed, type)) {
                if (info.getSID().match(holder)) {
                    return Optional.of(of(info.getDigestAlgOID(), info.getEncryptionAlgOID(), signer.getPublicKey()));
                }
            }
            return Optional.empty();
        } catch (MessagingException | IOException | CertificateEncodingException e) {
            throw Failures.reading("signed message", e);
        } catch (CMSException | RuntimeException e) {
            throw Failures.malformedCms("the signature", e);
        }
    }

    /** The algorithms named by a signer info's object identifiers, with the signer's public key. */
    static SignatureAlgorithm of(String digestOid, String signatureOid, PublicKey key) {
        List<String> weak = new ArrayList<>();
        String weakDigest = WEAK_DIGESTS.getOrDefault(digestOid, WEAK_SIGNATURES.get(signatureOid));
        if (weakDigest != null) {
            weak.add(weakDigest + " digest");
        }
        int bits = 0;
        if (key instanceof RSAPublicKey rsa) {
            bits = rsa.getModulus().bitLength();
            if (bits < MINIMUM_KEY_BITS) {
                weak.add("RSA key of " + bits + " bits");
            }
        } else if (key instanceof DSAPublicKey dsa && dsa.getParams() != null) {
            bits = dsa.getParams().getP().bitLength();
            if (bits < MINIMUM_KEY_BITS) {
                weak.add("DSA key of " + bits + " bits");
            }
        } else if (key instanceof ECPublicKey ec) {
            bits = ec.getParams().getOrder().bitLength();
        }
        return new SignatureAlgorithm(name(digestOid), name(signatureOid), bits, weak);
    }

    private static String name(String oid) {
        try {
            return NAMES.getAlgorithmName(new ASN1ObjectIdentifier(oid));
        } catch (RuntimeException unparsable) {
            return oid;
        }
    }

    private static Collection<SignerInformation> signerInfos(MimeMessage signed, SmimeType type)
            throws MessagingException, IOException, CMSException {
        DigestCalculatorProvider digests;
        try {
            digests = new JcaDigestCalculatorProviderBuilder().setProvider(JcaProviders.BC).build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("Bouncy Castle digests unavailable", e);
        }
        if (type == SmimeType.SIGNED_DETACHED) {
            if (!(signed.getContent() instanceof MimeMultipart multipart) || multipart.getCount() != 2) {
                throw new SmimeFormatException("multipart/signed without its two parts: the message is malformed");
            }
            try (InputStream signature = multipart.getBodyPart(1).getInputStream()) {
                CMSSignedDataParser parser = new CMSSignedDataParser(digests,
                        new CMSTypedStream(InputStream.nullInputStream()), signature);
                parser.getSignedContent().drain();
                return parser.getSignerInfos().getSigners();
            }
        }
        try (InputStream body = signed.getInputStream()) {
            CMSSignedDataParser parser = new CMSSignedDataParser(digests, body);
            CMSTypedStream content = parser.getSignedContent();
            if (content != null) {
                content.drain();
            }
            return parser.getSignerInfos().getSigners();
        }
    }
}
