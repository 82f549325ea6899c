package dev.sealgate.testkit;

import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Lets the service under test trust a test server's certificate (mock-oauth2-server over HTTPS)
 * beside the usual roots, for both the JDK's HttpClient ({@link SSLContext#getDefault()}, what
 * OutboundHttp uses) and {@link HttpsURLConnection}. Set it before the service starts; restore after.
 */
public final class JvmTlsTrust {

    private static final SSLSocketFactory USUAL_FACTORY = HttpsURLConnection.getDefaultSSLSocketFactory();
    private static final SSLContext USUAL_CONTEXT = usualContext();

    private JvmTlsTrust() {
    }

    public static void trustBesideTheUsual(KeyStore serverKeys) {
        SSLContext tls = tlsTrusting(serverKeys);
        HttpsURLConnection.setDefaultSSLSocketFactory(tls.getSocketFactory());
        SSLContext.setDefault(tls);
    }

    public static void restoreUsual() {
        HttpsURLConnection.setDefaultSSLSocketFactory(USUAL_FACTORY);
        SSLContext.setDefault(USUAL_CONTEXT);
    }

    private static SSLContext usualContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext tlsTrusting(KeyStore serverKeys) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            TrustManagerFactory usual = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            usual.init((KeyStore) null);
            int n = 0;
            for (var manager : usual.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate certificate : x509.getAcceptedIssuers()) {
                        trust.setCertificateEntry("usual-" + n++, certificate);
                    }
                }
            }
            for (String alias : java.util.Collections.list(serverKeys.aliases())) {
                trust.setCertificateEntry("server-" + alias, serverKeys.getCertificate(alias));
            }
            TrustManagerFactory both = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            both.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, both.getTrustManagers(), null);
            return tls;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
