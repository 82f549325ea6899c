package dev.sealgate.certprovider;

import java.security.interfaces.RSAPublicKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The checks every provider makes before a CSR leaves the gateway, so that our own mistakes come
 * back as {@link ProviderFailure#INVALID_REQUEST} and not as an obscure trust center error.
 */
public final class CsrCheck {

    /** The kinds of key an S/MIME certificate can carry; they decide the key usage. */
    public enum KeyKind { RSA, EC }

    private static final int MIN_RSA_BITS = 2048;

    private CsrCheck() {
    }

    /** Checks proof of possession, key and address; returns the kind of key for the key usage. */
    public static KeyKind check(EnrollmentRequest request) throws CertificateProviderException {
        PKCS10CertificationRequest csr = request.csr();
        PublicKey key = publicKey(request);
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw invalid(request, "its signature does not verify with its own public key (no proof of possession)",
                        "generate the CSR again with the key pair it names");
            }
        } catch (CertificateProviderException e) {
            throw e;
        } catch (Exception e) {
            throw invalid(request, "its signature cannot be checked (" + e.getMessage() + ")",
                    "generate the CSR again with an RSA or EC key");
        }
        KeyKind kind = switch (key.getAlgorithm()) {
            case "RSA" -> KeyKind.RSA;
            case "EC", "ECDSA" -> KeyKind.EC;
            default -> throw invalid(request, "it holds a " + key.getAlgorithm() + " key",
                    "use an RSA (2048 bits or more) or EC key");
        };
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw invalid(request, "its RSA key has only " + rsa.getModulus().bitLength() + " bits",
                    "use at least " + MIN_RSA_BITS + " bits");
        }
        List<String> addresses = addresses(csr);
        if (addresses.isEmpty()) {
            throw invalid(request, "it names no mail address (no rfc822Name, no emailAddress)",
                    "put the address into the CSR's subjectAltName");
        }
        if (!addresses.contains(request.address())) {
            throw invalid(request, "it names " + String.join(", ", addresses) + ", not " + request.address(),
                    "generate the CSR for the address being enrolled");
        }
        return kind;
    }

    public static PublicKey publicKey(EnrollmentRequest request) throws CertificateProviderException {
        try {
            return new JcaPEMKeyConverter().getPublicKey(request.csr().getSubjectPublicKeyInfo());
        } catch (Exception e) {
            throw invalid(request, "its public key cannot be read (" + e.getMessage() + ")",
                    "generate the CSR again with an RSA or EC key");
        }
    }

    /** The addresses a CSR asks for: rfc822Names of its requested subjectAltName, else its subject emailAddress. */
    public static List<String> addresses(PKCS10CertificationRequest csr) {
        List<String> result = new ArrayList<>();
        for (var attribute : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (var value : attribute.getAttributeValues()) {
                GeneralNames names = GeneralNames.fromExtensions(Extensions.getInstance(value), Extension.subjectAlternativeName);
                if (names == null) {
                    continue;
                }
                for (GeneralName name : names.getNames()) {
                    if (name.getTagNo() == GeneralName.rfc822Name) {
                        result.add(name.getName().toString().toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        if (result.isEmpty()) {
            for (RDN rdn : csr.getSubject().getRDNs(BCStyle.EmailAddress)) {
                result.add(IETFUtils.valueToString(rdn.getFirst().getValue()).toLowerCase(Locale.ROOT));
            }
        }
        return result;
    }

    private static CertificateProviderException invalid(EnrollmentRequest request, String what, String fix) {
        return new CertificateProviderException(ProviderFailure.INVALID_REQUEST,
                "CSR for " + request.address() + ": " + what + "; " + fix);
    }

}
