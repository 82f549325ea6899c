package dev.sealgate.certs;

/**
 * A certificate import.
 *
 * @param content              PEM text (certificates, CRLs, private keys), or base64 of DER or PKCS#12
 * @param password             of the PKCS#12 file or encrypted PEM key; never echoed or logged
 * @param kind                 PARTNER (default) or ANCHOR for certificates without a key; with a key they are OWN
 * @param domainCertificateFor make the (first) imported certificate the domain certificate of this domain
 */
public record CertificateImportRequest(String content, String password, CertificateKind kind, String domainCertificateFor) {

    @Override
    public String toString() {
        return "CertificateImportRequest[content=" + (content == null ? 0 : content.length()) + " chars, password="
                + (password == null ? "(none)" : "(hidden)") + ", kind=" + kind + ", domainCertificateFor="
                + domainCertificateFor + "]";
    }
}
