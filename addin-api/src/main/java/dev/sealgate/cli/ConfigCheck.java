package dev.sealgate.cli;

import dev.sealgate.SealgateApplication;
import dev.sealgate.StartupSummary;
import dev.sealgate.gateway.GatewayProperties;
import dev.sealgate.policy.AddressRange;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindException;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * {@code config check}: loads the configuration exactly as the service would (same files, same
 * environment variables, same command-line arguments), binds and validates every
 * {@code sealgate.*} settings record, and prints the start-up summary, without starting anything.
 */
final class ConfigCheck {

    private ConfigCheck() {
    }

    /** Only the settings records: no database, no web server, no gateway. */
    @Configuration(proxyBeanMethods = false)
    @ConfigurationPropertiesScan("dev.sealgate")
    static class SettingsOnly {
    }

    static int run(String[] arguments, PrintStream out, PrintStream err) {
        SpringApplication application = new SpringApplication(SettingsOnly.class);
        SealgateApplication.jarDirectory().ifPresent(dir -> application.setDefaultProperties(
                java.util.Map.of("spring.config.additional-location", "optional:file:" + dir + "/")));
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setLogStartupInfo(false);
        application.setRegisterShutdownHook(false);
        // no log file and no console noise: the check's output is what it prints below
        System.setProperty("logging.file.name", "");
        System.setProperty("logging.level.root", "OFF");
        System.setProperty("spring.main.banner-mode", "off");
        try (ConfigurableApplicationContext context = application.run(arguments)) {
            List<String> problems = new ArrayList<>();
            GatewayProperties gateway = context.getBean(GatewayProperties.class);
            for (String range : gateway.companyServers()) {
                try {
                    AddressRange.parse(range);
                } catch (IllegalArgumentException e) {
                    problems.add("sealgate.company-servers: '" + range + "' is not an address or CIDR range (" + e.getMessage() + ")");
                }
            }
            StartupSummary summary = StartupSummary.of(context.getEnvironment());
            summary.lines().forEach(out::println);
            summary.warnings().forEach(w -> out.println("warning: " + w));
            if (!problems.isEmpty()) {
                problems.forEach(p -> err.println("invalid configuration: " + p));
                return 2;
            }
            out.println("configuration is valid");
            return 0;
        } catch (RuntimeException e) {
            err.println("invalid configuration: " + reason(e));
            return 2;
        }
    }

    /** The binding failure in one line: which key, which value, what was expected. */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException bind) {
                String property = bind.getProperty() == null ? bind.getName().toString()
                        : bind.getProperty().getName() + " = '" + bind.getProperty().getValue() + "'";
                Throwable cause = bind.getCause();
                while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
                    cause = cause.getCause();
                }
                return property + ": " + (cause == null ? bind.getMessage() : cause.getMessage());
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e instanceof ConfigurationPropertiesBindException ? e.getMessage() : root.getMessage();
    }
}
