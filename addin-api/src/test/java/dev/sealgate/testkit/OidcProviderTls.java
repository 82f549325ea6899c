package dev.sealgate.testkit;

import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;

/**
 * A test that runs mock-oauth2-server over HTTPS (MSAL.js refuses any other authority) makes the
 * service trust that server's own certificate beside the usual ones while the test class runs
 * ({@link JvmTlsTrust}), and gives the usual trust back afterwards.
 *
 * <p>The provider runs on OkHttp's MockWebServer ({@code "type": "MockWebServerWrapper"}), not on
 * Netty: BlockHound (BlockHoundSession) watches every Netty event loop in the test JVM, and the
 * provider is not ours to make non-blocking.
 */
public final class OidcProviderTls {

    private OidcProviderTls() {
    }

    /** @param config the started provider's configuration, with {@code "httpServer": {"type": "MockWebServerWrapper", "ssl": {}}} */
    public static void trust(OAuth2Config config) {
        JvmTlsTrust.trustBesideTheUsual(((MockWebServerWrapper) config.getHttpServer()).getSsl().getSslKeystore().getKeyStore());
    }

    public static void restore() {
        JvmTlsTrust.restoreUsual();
    }
}
