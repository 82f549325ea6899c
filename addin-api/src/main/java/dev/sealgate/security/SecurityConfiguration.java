package dev.sealgate.security;

import dev.sealgate.tracking.EventLog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Wires bearer-token authentication of the add-in API. */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    AddinAuthenticationFilter addinAuthenticationFilter(AddinAuthProperties properties, EventLog eventLog, JsonMapper json) {
        AddinTokenValidator validator = properties.configured() ? new AddinTokenValidator(properties) : null;
        return new AddinAuthenticationFilter(properties, validator, eventLog, json);
    }
}
