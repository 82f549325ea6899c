package dev.sealgate;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings every part of the service shares.
 *
 * @param dataDir where the embedded database, spool, keys, generated certificates and logs live
 *                (default {@code ./data})
 */
@ConfigurationProperties("sealgate")
public record SealgateProperties(@DefaultValue("./data") Path dataDir) {
}
