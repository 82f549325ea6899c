package dev.sealgate.testkit;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;

/**
 * The in-process service fetches an OpenID Connect provider's keys with {@link HttpsURLConnection}
 * (sealgate.addin.auth.jwk-set-uri). A test that runs mock-oauth2-server over HTTPS (MSAL.js refuses
 * any other authority) makes the JVM trust that server's own certificate beside the usual ones while
 * the test class runs, and gives the usual trust back afterwards.
 *
 * <p>The provider runs on OkHttp's MockWebServer ({@code "type": "MockWebServerWrapper"}), not on
 * Netty: BlockHound (BlockHoundSession) watches every Netty event loop in the test JVM, and the
 * provider is not ours to make non-blocking.
 */
public final class OidcProviderTls {

    private static final SSLSocketFactory USUAL = HttpsURLConnection.getDefaultSSLSocketFactory();

    private OidcProviderTls() {
    }

    /** @param config the started provider's configuration, with {@code "httpServer": {"type": "MockWebServerWrapper", "ssl": {}}} */
    public static void trust(OAuth2Config config) {
        KeyStore providerKeys = ((MockWebServerWrapper) config.getHttpServer()).getSsl().getSslKeystore().getKeyStore();
        HttpsURLConnection.setDefaultSSLSocketFactory(tlsTrusting(providerKeys).getSocketFactory());
    }

    public static void restore() {
        HttpsURLConnection.setDefaultSSLSocketFactory(USUAL);
    }

    private static SSLContext tlsTrusting(KeyStore providerKeys) {
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
            for (String alias : Collections.list(providerKeys.aliases())) {
                trust.setCertificateEntry("oidc-" + alias, providerKeys.getCertificate(alias));
            }
            TrustManagerFactory both = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            both.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, both.getTrustManagers(), null);
            return tls;
        } catch (Exception e) {
            throw new IllegalStateException("could not build a trust store with the OIDC provider's certificate", e);
        }
    }
}
