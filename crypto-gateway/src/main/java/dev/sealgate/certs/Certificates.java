package dev.sealgate.certs;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/** Facts the store derives from an X.509 certificate: fingerprint, addresses, usable purposes. */
public final class Certificates {

    private static final int DIGITAL_SIGNATURE = 0;
    private static final int NON_REPUDIATION = 1;
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int KEY_AGREEMENT = 4;
    private static final String EMAIL_PROTECTION = KeyPurposeId.id_kp_emailProtection.getId();
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final int RFC822_NAME = 1;

    private Certificates() {
    }

    /** Where an address of a certificate came from; SAN addresses win over the subject's emailAddress. */
    public enum AddressSource {
        SAN,
        SUBJECT
    }

    public static X509Certificate parse(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a certificate: " + e.getMessage(), e);
        }
    }

    public static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("not a certificate: cannot encode it (" + e.getMessage() + ")", e);
        }
    }

    /** SHA-256 over the DER encoding, lower-case hex. */
    public static String fingerprint(X509Certificate certificate) {
        return sha256Hex(encoded(certificate));
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    public static String serialHex(BigInteger serial) {
        return serial.toString(16);
    }

    /** The canonical form of a distinguished name, so names from CMS and from certificates compare equal. */
    public static String canonical(X500Principal name) {
        return name.getName(X500Principal.CANONICAL);
    }

    /** A distinguished name for people: short attribute names, emailAddress as E (not an OID in hex). */
    public static String readable(X500Principal name) {
        return X500Name.getInstance(name.getEncoded()).toString();
    }

    public static String canonical(X500Name name) {
        try {
            return canonical(new X500Principal(name.getEncoded()));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a distinguished name: " + e.getMessage(), e);
        }
    }

    /** The subject key identifier extension in hex, or null when the certificate has none. */
    public static String subjectKeyIdentifier(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension == null) {
            return null;
        }
        byte[] inner = ASN1OctetString.getInstance(extension).getOctets();
        return HexFormat.of().formatHex(SubjectKeyIdentifier.getInstance(inner).getKeyIdentifier());
    }

    /**
     * The mail addresses of a certificate: rfc822Name entries of the subject alternative name first,
     * then the subject's emailAddress attributes. Malformed entries are left out.
     */
    public static Map<MailAddress, AddressSource> addresses(X509Certificate certificate) {
        Map<MailAddress, AddressSource> result = new LinkedHashMap<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (((Integer) san.get(0)) == RFC822_NAME && san.get(1) instanceof String value) {
                        tryParse(value).ifPresent(a -> result.putIfAbsent(a, AddressSource.SAN));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // A broken SAN extension leaves only the subject's emailAddress to go by.
        }
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue value : rdn.getTypesAndValues()) {
                if (value.getType().equals(BCStyle.EmailAddress) && value.getValue() instanceof ASN1String s) {
                    tryParse(s.getString()).ifPresent(a -> result.putIfAbsent(a, AddressSource.SUBJECT));
                }
            }
        }
        return result;
    }

    private static java.util.Optional<MailAddress> tryParse(String value) {
        try {
            return java.util.Optional.of(MailAddress.parse(value));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /** Whether key usage and extended key usage (where present) allow the purpose. */
    public static boolean allows(X509Certificate certificate, KeyPurpose purpose) {
        if (certificate.getBasicConstraints() >= 0) {
            return false;
        }
        boolean[] keyUsage = certificate.getKeyUsage();
        boolean rsa = "RSA".equals(certificate.getPublicKey().getAlgorithm());
        if (keyUsage != null) {
            boolean ok = switch (purpose) {
                case SIGNING -> bit(keyUsage, DIGITAL_SIGNATURE) || bit(keyUsage, NON_REPUDIATION);
                case ENCRYPTION -> rsa ? bit(keyUsage, KEY_ENCIPHERMENT) : bit(keyUsage, KEY_AGREEMENT);
            };
            if (!ok) {
                return false;
            }
        }
        try {
            List<String> extended = certificate.getExtendedKeyUsage();
            return extended == null || extended.contains(EMAIL_PROTECTION) || extended.contains(ANY_EXTENDED_KEY_USAGE);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private static boolean bit(boolean[] bits, int index) {
        return bits.length > index && bits[index];
    }

    public static boolean isSelfIssued(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    /** Subject alternative names as readable strings, for the admin API. */
    public static List<String> subjectAlternativeNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    Object value = san.get(1);
                    names.add(value instanceof String s ? s : "(binary name of type " + san.get(0) + ")");
                }
            }
        } catch (CertificateParsingException e) {
            names.add("(unreadable subject alternative name)");
        }
        return names;
    }
}
