package dev.sealgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

class PublicBaseUrlTest {

    private final PublicBaseUrl processor = new PublicBaseUrl();

    @Test
    void shouldGiveTheFilesAliasTheOneSetting() {
        MockEnvironment environment = new MockEnvironment().withProperty("sealgate.public-base-url", "https://gw.example.org");

        processor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("sealgate.files.public-base-url")).isEqualTo("https://gw.example.org");
    }

    @Test
    void shouldKeepTheOldNameWorkingAlone() {
        MockEnvironment environment = new MockEnvironment().withProperty("sealgate.files.public-base-url", "https://files.example.org");

        processor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("sealgate.files.public-base-url")).isEqualTo("https://files.example.org");
    }

    @Test
    void shouldAcceptBothWhenTheyNameTheSameAddress() {
        MockEnvironment environment = new MockEnvironment().withProperty("sealgate.public-base-url", "https://gw.example.org/")
                .withProperty("sealgate.files.public-base-url", "https://gw.example.org");

        processor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("sealgate.files.public-base-url")).isEqualTo("https://gw.example.org");
    }

    @Test
    void shouldRefuseTwoDifferentAddresses() {
        MockEnvironment environment = new MockEnvironment().withProperty("sealgate.public-base-url", "https://gw.example.org")
                .withProperty("sealgate.files.public-base-url", "https://files.example.org");

        assertThatThrownBy(() -> processor.postProcessEnvironment(environment, new SpringApplication()))
                .hasMessageContaining("set only sealgate.public-base-url");
    }
}
