package dev.sealgate.revocation;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/** Where a certificate says its revocation status is published: OCSP responders and CRL distribution points. */
final class CertificateUrls {

    private CertificateUrls() {
    }

    /** The OCSP responder URLs of the authority information access extension, as written. */
    static List<String> ocsp(X509Certificate certificate) {
        List<String> urls = new ArrayList<>();
        byte[] value = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (value == null) {
            return urls;
        }
        try {
            AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value));
            for (AccessDescription description : aia.getAccessDescriptions()) {
                if (AccessDescription.id_ad_ocsp.equals(description.getAccessMethod())) {
                    uri(description.getAccessLocation(), urls);
                }
            }
        } catch (IOException | RuntimeException malformed) {
            // A broken extension names no responder; the caller reports "no responder" for it.
            return List.of();
        }
        return urls;
    }

    /** The full-name URLs of every CRL distribution point, as written (HTTP, LDAP, ...). */
    static List<String> crl(X509Certificate certificate) {
        List<String> urls = new ArrayList<>();
        byte[] value = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (value == null) {
            return urls;
        }
        try {
            CRLDistPoint points = CRLDistPoint.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value));
            for (DistributionPoint point : points.getDistributionPoints()) {
                DistributionPointName name = point.getDistributionPoint();
                if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                    for (GeneralName general : GeneralNames.getInstance(name.getName()).getNames()) {
                        uri(general, urls);
                    }
                }
            }
        } catch (IOException | RuntimeException malformed) {
            return List.of();
        }
        return urls;
    }

    private static void uri(GeneralName name, List<String> urls) {
        if (name.getTagNo() == GeneralName.uniformResourceIdentifier) {
            urls.add(ASN1IA5String.getInstance(name.getName()).getString());
        }
    }

    /** Whether the URL is one the gateway fetches (HTTP or HTTPS). */
    static boolean fetchable(String url) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }
}
