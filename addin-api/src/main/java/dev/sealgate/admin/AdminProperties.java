package dev.sealgate.admin;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param apiKey the key every admin API call must send in {@code X-Api-Key}; with none set the
 *               admin API is closed (503), never open
 */
@ConfigurationProperties("sealgate.admin")
public record AdminProperties(String apiKey) {

    public boolean configured() {
        return apiKey != null && !apiKey.isBlank();
    }

    @Override
    public String toString() {
        return "AdminProperties[apiKey=" + (configured() ? "(set)" : "(not set)") + "]";
    }
}
