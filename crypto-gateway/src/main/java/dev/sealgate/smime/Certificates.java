package dev.sealgate.smime;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Small certificate facts the engine needs; package-private. */
final class Certificates {

    private static final int RFC822_NAME = 1;

    private Certificates() {
    }

    static String describe(X509Certificate certificate) {
        return "subject=" + certificate.getSubjectX500Principal().getName() + ",serial="
                + certificate.getSerialNumber().toString(16);
    }

    /** The subject key identifier extension's value, or an empty array. */
    static byte[] subjectKeyIdentifier(X509Certificate certificate) {
        byte[] ext = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext == null) {
            return new byte[0];
        }
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
    }

    /**
     * The certificate's e-mail addresses: rfc822Name subject alternative names, and, only when
     * there are none, the legacy emailAddress attribute of the subject.
     */
    static List<String> emailAddresses(X509Certificate certificate) {
        List<String> result = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (((Integer) san.get(0)) == RFC822_NAME) {
                        result.add((String) san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return result;
        }
        if (result.isEmpty()) {
            X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
            for (RDN rdn : subject.getRDNs(BCStyle.EmailAddress)) {
                if (rdn.getFirst().getValue() instanceof ASN1String s) {
                    result.add(s.getString());
                }
            }
        }
        return result;
    }

    /** RFC 5321: the local part is compared exactly, the domain without regard to case. */
    static boolean sameAddress(String a, String b) {
        int at1 = a.lastIndexOf('@');
        int at2 = b.lastIndexOf('@');
        if (at1 < 1 || at2 < 1) {
            return false;
        }
        return a.substring(0, at1).equals(b.substring(0, at2))
                && a.substring(at1 + 1).toLowerCase(Locale.ROOT).equals(b.substring(at2 + 1).toLowerCase(Locale.ROOT));
    }
}
