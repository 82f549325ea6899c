package dev.sealgate.certprovider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** PEM and DER conversions the providers share. */
public final class Pem {

    private Pem() {
    }

    public static String encode(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static String encodeAll(List<?> objects) {
        StringBuilder out = new StringBuilder();
        objects.forEach(o -> out.append(encode(o)));
        return out.toString();
    }

    public static X509Certificate certificate(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    /** A certificate given as base64 DER, with or without PEM armour. */
    public static X509Certificate certificateFromBase64(String text) throws CertificateException {
        String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return certificate(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            throw new CertificateException("not base64: " + e.getMessage(), e);
        }
    }
}
