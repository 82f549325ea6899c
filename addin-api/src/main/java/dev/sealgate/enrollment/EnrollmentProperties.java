package dev.sealgate.enrollment;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway gets certificates for its own users.
 *
 * @param providers       which provider enrolls whom: key an address, a domain or {@code group:<name>},
 *                        value a provider name ({@code local}, {@code swisssign}); own domains
 *                        ({@code sealgate.domains}) without an entry use {@code default-provider}
 * @param groups          named groups of addresses for {@code providers}
 * @param defaultProvider provider for own domains without a mapping
 * @param keyAlgorithm    RSA (3072 bits) or EC (P-256) for generated key pairs
 * @param renewBefore     renew own certificates this long before they expire
 * @param holdTimeout     how long the queue holds a message that waits for an enrollment
 * @param retryInitial    first wait after a trust center error; doubles per attempt
 * @param retryMax        longest wait between attempts
 * @param maxAttempts     attempts before giving up (with an event)
 * @param pollInterval    how often pending orders and due retries are looked at
 * @param renewalInterval how often certificates are checked for renewal
 * @param localCa         the embedded CA in {@code <data-dir>/ca}
 * @param swisssign       SwissSign RA REST API; the provider {@code swisssign} exists only when its user is set
 * @param swisssignCmc    SwissSign's legacy CMC interface (MPKI, AutoRAO certificate); the provider
 *                        {@code swisssign-cmc} exists only when its account is set
 */
@ConfigurationProperties("sealgate.enrollment")
public record EnrollmentProperties(
        @DefaultValue Map<String, String> providers,
        @DefaultValue Map<String, List<String>> groups,
        @DefaultValue("local") String defaultProvider,
        @DefaultValue("RSA") EnrollmentSettings.KeyAlgorithm keyAlgorithm,
        @DefaultValue("14d") Duration renewBefore,
        @DefaultValue("24h") Duration holdTimeout,
        @DefaultValue("5m") Duration retryInitial,
        @DefaultValue("6h") Duration retryMax,
        @DefaultValue("10") int maxAttempts,
        @DefaultValue("1m") Duration pollInterval,
        @DefaultValue("6h") Duration renewalInterval,
        @DefaultValue LocalCa localCa,
        @DefaultValue SwissSign swisssign,
        @DefaultValue SwissSignCmc swisssignCmc) {

    public EnrollmentSettings settings() {
        return new EnrollmentSettings(keyAlgorithm, renewBefore, retryInitial, retryMax, maxAttempts, holdTimeout,
                Duration.ofMinutes(5));
    }

    /**
     * @param caName              name prefix of the root and issuing CA
     * @param certificateValidity validity of issued certificates
     * @param crlDistributionPoint URL written into issued certificates (e.g. https://gw.example/pki/crl.pem); none when unset
     */
    public record LocalCa(@DefaultValue("Sealgate Local") String caName, @DefaultValue("365d") Duration certificateValidity,
                          URI crlDistributionPoint) {
    }

    /**
     * @param baseUrl          RA API, default production https://api.ra.swisssign.ch
     * @param userName         RA API user; unset: no SwissSign provider
     * @param userSecret       its API key (environment variable SEALGATE_ENROLLMENT_SWISSSIGN_USERSECRET); never logged
     * @param productReference certificate product, pma-&lt;uuid&gt;
     */
    public record SwissSign(URI baseUrl, String userName, String userSecret, String productReference) {

        public boolean configured() {
            return userName != null && !userName.isBlank();
        }

        @Override
        public String toString() {
            return "SwissSign[baseUrl=" + baseUrl + ", userName=" + userName + ", userSecret="
                    + (userSecret == null ? "(not set)" : "(set)") + ", productReference=" + productReference + "]";
        }
    }

    /**
     * @param endpoint               CMC URL, default https://ra.swisssign.net/ws/cmc
     * @param account                MPKI account; unset: no CMC provider
     * @param product                certificate product
     * @param accessKeyStore         PKCS#12 with the AutoRAO certificate and key (TLS client and CMC signer)
     * @param accessKeyStorePassword its password (environment variable SEALGATE_ENROLLMENT_SWISSSIGN_CMC_ACCESS_KEY_STORE_PASSWORD); never logged
     * @param accessKeyAlias         the key entry, when the file holds more than one
     */
    public record SwissSignCmc(URI endpoint, String account, String product, java.nio.file.Path accessKeyStore,
                               String accessKeyStorePassword, String accessKeyAlias) {

        public boolean configured() {
            return account != null && !account.isBlank();
        }

        @Override
        public String toString() {
            return "SwissSignCmc[endpoint=" + endpoint + ", account=" + account + ", product=" + product
                    + ", accessKeyStore=" + accessKeyStore + ", accessKeyStorePassword="
                    + (accessKeyStorePassword == null ? "(not set)" : "(set)") + ", accessKeyAlias=" + accessKeyAlias + "]";
        }
    }
}
