package dev.sealgate.certprovider.swisssign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.sealgate.certprovider.swisssign.cmc.SwissSignCmcConfig;
import dev.sealgate.certprovider.swisssign.rest.SwissSignRestConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The SwissSign config records refuse what cannot work and fill in what SwissSign documents. */
class SwissSignConfigTest {

    private static final String PRODUCT = "pma-123e4567-e89b-12d3-a456-426614174000";

    @Test
    void shouldDefaultTheRestClientToProductionAndItsTimings() {
        SwissSignRestConfig config = new SwissSignRestConfig("api-user", "secret", PRODUCT);

        assertThat(config.baseUrl()).isEqualTo(URI.create("https://api.ra.swisssign.ch"));
        assertThat(config.tokenRenewalMargin()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.orderDeadline()).isEqualTo(Duration.ofDays(3));
    }

    @Test
    void shouldRefuseRestSettingsThatCannotWork() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SwissSignRestConfig("api-user", "secret", "silver"))
                .withMessage("productReference must look like pma-<uuid>, was silver");
        assertThatIllegalArgumentException().isThrownBy(() -> new SwissSignRestConfig("api-user", " ", PRODUCT))
                .withMessage("userSecret must be set");
        assertThatIllegalArgumentException().isThrownBy(() -> new SwissSignRestConfig(
                URI.create("http://api.ra.swisssign.ch"), "api-user", "secret", PRODUCT, null, null, null, null, null,
                null, null)).withMessage("baseUrl must be https (the API key travels on it), was http://api.ra.swisssign.ch");
    }

    @Test
    void shouldDefaultTheCmcClientToRaSwissSignNet() {
        SwissSignCmcConfig config = new SwissSignCmcConfig("ACME", "smime", Path.of("autorao.p12"), "pw".toCharArray());

        assertThat(config.endpoint()).isEqualTo(URI.create("https://ra.swisssign.net/ws/cmc"));
        assertThat(config.trustedServerCertificates()).isEmpty();
        assertThat(config.toString()).doesNotContain("pw,").contains("accessKeyStorePassword=***");
    }

    @Test
    void shouldRefuseACmcEndpointWithoutTls() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SwissSignCmcConfig(URI.create("http://ra.swisssign.net/ws/cmc"),
                "ACME", "smime", Path.of("autorao.p12"), "pw".toCharArray(), null, null, null, null, null))
                .withMessageStartingWith("endpoint must be an https URL");
    }
}
