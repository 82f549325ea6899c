package dev.sealgate.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.stereotype.Component;

/**
 * The configuration as the service uses it: every {@code sealgate.*}, {@code server.*},
 * {@code management.*}, {@code logging.*} and {@code spring.datasource.url} value with the place it
 * came from, and no secret: values of keys that name a password, secret, key or token are replaced.
 */
@Component
public class EffectiveSettings {

    private static final List<String> PREFIXES = List.of("sealgate.", "server.", "management.", "logging.", "spring.datasource.url",
            "spring.datasource.username", "spring.config.");
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|private|token|credential|api[-.]?key"
            + "|master[-.]?key|access[-.]?key|[-.]key$).*");
    static final String REDACTED = "(set, not shown)";

    private final ConfigurableEnvironment environment;

    EffectiveSettings(ConfigurableEnvironment environment) {
        this.environment = environment;
    }

    /**
     * @param key    the property name
     * @param value  its effective value, or {@link #REDACTED}
     * @param origin the property source that set it (command line, environment, a file)
     */
    public record Setting(String key, String value, String origin) {
    }

    public List<Setting> all() {
        Map<String, Setting> settings = new TreeMap<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue;
            }
            for (String name : enumerable.getPropertyNames()) {
                String key = canonical(source, name);
                if (key == null || settings.containsKey(key)) {
                    continue;
                }
                String value = environment.getProperty(key);
                settings.put(key, new Setting(key, value == null ? null : redact(key, value), origin(source)));
            }
        }
        return new ArrayList<>(settings.values());
    }

    /** The dotted name of a property, for environment variables too (SEALGATE_SMTP_PORT: sealgate.smtp.port). */
    private static String canonical(PropertySource<?> source, String name) {
        String key = name;
        if (source.getName().contains("systemEnvironment")) {
            key = name.toLowerCase(Locale.ROOT).replace('_', '.');
        }
        String k = key;
        return PREFIXES.stream().anyMatch(k::startsWith) ? key : null;
    }

    static String redact(String key, String value) {
        if (SECRET.matcher(key).matches() && !key.endsWith(".enabled") && !value.isBlank()) {
            return REDACTED;
        }
        if (key.equals("spring.datasource.url")) {
            return value.replaceAll("(?i)(password=)[^;&]*", "$1***").replaceAll("//[^/@]*:[^/@]*@", "//***@");
        }
        return value;
    }

    private static String origin(PropertySource<?> source) {
        String name = source.getName();
        if (name.startsWith("Config resource")) {
            int start = name.indexOf('[');
            int end = name.indexOf(']', start + 1);
            return start > 0 && end > start ? name.substring(start + 1, end) : name;
        }
        return switch (name) {
            case "commandLineArgs" -> "command line";
            case "systemEnvironment" -> "environment variable";
            case "systemProperties" -> "system property";
            case "defaultProperties" -> "built-in default";
            default -> name;
        };
    }
}
