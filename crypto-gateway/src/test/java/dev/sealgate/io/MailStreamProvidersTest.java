package dev.sealgate.io;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.util.StreamProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Jakarta Mail's stream provider named once by a system property, an operator's own choice kept. */
class MailStreamProvidersTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(MailStreamProviders.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(MailStreamProviders.PROPERTY);
        } else {
            System.setProperty(MailStreamProviders.PROPERTY, before);
        }
    }

    @Test
    void shouldNameAngusMailsProviderWhenNothingIsSet() {
        System.clearProperty(MailStreamProviders.PROPERTY);

        assertThat(MailStreamProviders.pin()).isEqualTo(MailStreamProviders.ANGUS);

        assertThat(System.getProperty(MailStreamProviders.PROPERTY)).isEqualTo(MailStreamProviders.ANGUS);
        // the API takes the named class (it would fail on a name that is not a provider)
        assertThat(StreamProvider.provider().getClass().getName()).isEqualTo(MailStreamProviders.ANGUS);
    }

    @Test
    void shouldKeepAProviderTheOperatorNamed() {
        System.setProperty(MailStreamProviders.PROPERTY, "com.example.OwnStreamProvider");

        assertThat(MailStreamProviders.pin()).isEqualTo("com.example.OwnStreamProvider");

        assertThat(System.getProperty(MailStreamProviders.PROPERTY)).isEqualTo("com.example.OwnStreamProvider");
    }
}
