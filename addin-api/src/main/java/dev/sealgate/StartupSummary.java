package dev.sealgate;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * What a newcomer needs to know about this start, computed from the configuration alone (no bean,
 * no database), so that the service prints it first and {@code config check} prints the same.
 *
 * @param lines    the summary, one fact a line
 * @param warnings one line per thing that must be fixed before production
 */
public record StartupSummary(List<String> lines, List<String> warnings) {

    /** Reads the summary off the environment as Spring Boot has loaded it. */
    public static StartupSummary of(ConfigurableEnvironment environment) {
        Binder binder = Binder.get(environment);
        List<String> lines = new ArrayList<>();
        List<String> warnings = new ArrayList<>();

        Path dataDir = Path.of(environment.getProperty("sealgate.data-dir", "./data")).toAbsolutePath().normalize();
        List<String> domains = list(binder, "sealgate.domains");
        List<String> companyServers = list(binder, "sealgate.company-servers");
        String hostName = effectiveHostName(environment.getProperty("sealgate.smtp.host-name"));
        Optional<String> publicBaseUrl = Optional.ofNullable(environment.getProperty("sealgate.public-base-url"))
                .or(() -> Optional.ofNullable(environment.getProperty("sealgate.files.public-base-url")))
                .filter(s -> !s.isBlank());
        String httpPort = environment.getProperty("server.port", "8080");
        boolean smtpEnabled = environment.getProperty("sealgate.smtp.enabled", Boolean.class, true);
        String smtpPort = environment.getProperty("sealgate.smtp.port", "2525");

        lines.add("Sealgate " + version());
        lines.add("  configuration files: " + configFiles(environment));
        lines.add("  data directory:      " + dataDir);
        lines.add("  database:            " + describeDatabase(environment.getProperty("spring.datasource.url", "")));
        lines.add("  blob store:          " + describeBlobStore(environment, dataDir));
        lines.add("  HTTP port:           " + ("0".equals(httpPort) ? "a free port, chosen at start" : httpPort));
        lines.add("  SMTP port:           " + (smtpEnabled ? smtpPort : "(disabled)"));
        lines.add("  host name:           " + hostName);
        lines.add("  own domains:         " + (domains.isEmpty() ? "(none)" : String.join(", ", domains)));
        lines.add("  company servers:     " + (companyServers.isEmpty() ? "(none)" : String.join(", ", companyServers)));
        lines.add("  inbound next hop:    " + environment.getProperty("sealgate.relay.inbound-next-hop", "(none)"));
        lines.add("  outbound next hop:   " + environment.getProperty("sealgate.relay.outbound-smarthost", "MX of the recipient domain"));
        lines.add("  public base URL:     " + publicBaseUrl.orElse("(not set)"));
        lines.add("  admin console:       " + publicBaseUrl.map(u -> u.replaceAll("/+$", ""))
                .orElse("http://" + hostName + ":" + ("0".equals(httpPort) ? "<port>" : httpPort)) + "/console/");

        if (isLocal(hostName)) {
            warnings.add("host name is '" + hostName + "': mail servers will see it in EHLO, Received headers and the TLS"
                    + " certificate; set sealgate.smtp.host-name to this gateway's public name (e.g. mx.example.org)");
        } else if (!hostName.contains(".")) {
            warnings.add("host name '" + hostName + "' is not fully qualified; set sealgate.smtp.host-name to this"
                    + " gateway's public name (e.g. mx.example.org)");
        }
        if (publicBaseUrl.isEmpty()) {
            warnings.add("no public base URL: download links, reply links and the add-in manifest will point at this"
                    + " machine's name; set sealgate.public-base-url (e.g. https://gateway.example.org)");
        }
        if (isBlank(environment.getProperty("sealgate.master-key"))) {
            warnings.add("master key is generated into " + dataDir.resolve("master.key") + ", next to the data it"
                    + " protects; set sealgate.master-key (SEALGATE_MASTER_KEY) and keep it apart from backups of the data");
        }
        if (domains.isEmpty()) {
            warnings.add("no own domains: every inbound recipient is refused; set sealgate.domains");
        }
        if (isBlank(environment.getProperty("sealgate.admin.api-key"))
                && isBlank(environment.getProperty("sealgate.admin.bootstrap.username"))
                && isBlank(environment.getProperty("sealgate.admin.oidc.issuer-uri"))) {
            warnings.add("no admin account: set sealgate.admin.bootstrap.username and sealgate.admin.bootstrap.password"
                    + " (break-glass sign-in), sealgate.admin.oidc.* or sealgate.admin.api-key");
        }
        return new StartupSummary(List.copyOf(lines), List.copyOf(warnings));
    }

    /** This build's version and build time, from {@code META-INF/build-info.properties}. */
    public static String version() {
        try (var in = StartupSummary.class.getResourceAsStream("/META-INF/build-info.properties")) {
            if (in == null) {
                return "(development build)";
            }
            java.util.Properties build = new java.util.Properties();
            build.load(in);
            return build.getProperty("build.version", "(unknown version)") + " (built " + build.getProperty("build.time", "?") + ")";
        } catch (java.io.IOException e) {
            return "(unknown version)";
        }
    }

    /**
     * The name the gateway uses for itself when none is configured: the canonical name where it is a
     * real one, else the machine's host name (many hosts resolve their own name to {@code localhost}).
     */
    public static String effectiveHostName(String configured) {
        if (!isBlank(configured)) {
            return configured;
        }
        try {
            InetAddress local = InetAddress.getLocalHost();
            String canonical = local.getCanonicalHostName();
            if (canonical.contains(".") && !isLocal(canonical) && !canonical.equals(local.getHostAddress())) {
                return canonical;
            }
            return local.getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    static String describeDatabase(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:h2:file:")) {
            String path = url.substring("jdbc:h2:file:".length()).split(";", 2)[0];
            return "embedded H2 at " + Path.of(path).toAbsolutePath().normalize();
        }
        if (lower.startsWith("jdbc:h2:mem:")) {
            return "in-memory H2 (nothing survives a restart)";
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            String rest = url.substring("jdbc:postgresql:".length()).split("\\?", 2)[0];
            return "PostgreSQL " + rest.replaceFirst("^//[^@/]*@", "//").replaceFirst("^//", "");
        }
        int colon = url.indexOf(':', "jdbc:".length());
        return colon > 0 ? url.substring(5, colon) : "(none)";
    }

    private static String describeBlobStore(ConfigurableEnvironment environment, Path dataDir) {
        String type = environment.getProperty("sealgate.blob-store.type", "file");
        if ("s3".equalsIgnoreCase(type)) {
            String endpoint = environment.getProperty("sealgate.blob-store.s3.endpoint", "(AWS default endpoint)");
            String bucket = environment.getProperty("sealgate.blob-store.s3.bucket", "(no bucket)");
            return "S3 bucket " + bucket + " at " + redactUri(endpoint);
        }
        String directory = environment.getProperty("sealgate.blob-store.file.directory");
        return "file system at " + (directory != null && !directory.isBlank() ? Path.of(directory).toAbsolutePath().normalize()
                : dataDir.resolve("blobs"));
    }

    private static String redactUri(String uri) {
        try {
            URI parsed = URI.create(uri);
            return parsed.getUserInfo() == null ? uri : uri.replace(parsed.getRawUserInfo() + "@", "");
        } catch (IllegalArgumentException e) {
            return uri;
        }
    }

    private static String configFiles(ConfigurableEnvironment environment) {
        List<String> files = new ArrayList<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            String name = source.getName();
            int start = name.indexOf('[');
            int end = name.indexOf(']', start + 1);
            if (name.startsWith("Config resource") && start > 0 && end > start) {
                String resource = name.substring(start + 1, end);
                files.add(resource.startsWith("/") || resource.contains(":") ? resource : absolute(resource));
            }
        }
        return files.isEmpty() ? "(none)" : String.join(", ", new java.util.LinkedHashSet<>(files));
    }

    private static String absolute(String resource) {
        Path path = Path.of(resource);
        return Files.exists(path) ? path.toAbsolutePath().normalize().toString() : resource;
    }

    private static List<String> list(Binder binder, String name) {
        return binder.bind(name, Bindable.listOf(String.class)).orElse(List.of());
    }

    private static boolean isLocal(String hostName) {
        String lower = hostName.toLowerCase(Locale.ROOT);
        return lower.equals("localhost") || lower.startsWith("localhost.") || lower.equals("127.0.0.1") || lower.equals("::1");
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
