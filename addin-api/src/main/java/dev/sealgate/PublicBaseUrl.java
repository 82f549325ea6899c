package dev.sealgate;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code sealgate.public-base-url} is the one setting for every link the service makes (portal links,
 * the add-in's manifests); {@code sealgate.files.public-base-url}, its older name, stays as an alias.
 * Setting both to different values is refused at start, so the manifests and the links never disagree.
 */
public class PublicBaseUrl implements EnvironmentPostProcessor {

    static final String PROPERTY = "sealgate.public-base-url";
    static final String ALIAS = "sealgate.files.public-base-url";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String base = environment.getProperty(PROPERTY);
        String alias = environment.getProperty(ALIAS);
        if (blank(base)) {
            return;
        }
        if (blank(alias)) {
            environment.getPropertySources().addFirst(new MapPropertySource("sealgate-public-base-url", Map.of(ALIAS, base.strip())));
        } else if (!strip(alias).equals(strip(base))) {
            throw new IllegalStateException(PROPERTY + " (" + base + ") and its alias " + ALIAS + " (" + alias
                    + ") differ; set only " + PROPERTY);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String strip(String url) {
        String value = url.strip();
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
