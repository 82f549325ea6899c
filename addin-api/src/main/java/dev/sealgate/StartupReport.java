package dev.sealgate;

import dev.sealgate.storage.Databases;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** One log line at start that says where everything is, so nobody has to guess. */
@Component
class StartupReport {

    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

    private final SealgateProperties properties;
    private final Environment environment;

    StartupReport(SealgateProperties properties, Environment environment) {
        this.properties = properties;
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        log.info("Sealgate started: data directory {}, database {}, HTTP port {}, log file {}",
                properties.dataDir().toAbsolutePath().normalize(),
                Databases.redact(environment.getProperty("spring.datasource.url", "(none)")),
                environment.getProperty("local.server.port", environment.getProperty("server.port", "8080")),
                logFile());
    }

    private String logFile() {
        String name = environment.getProperty("logging.file.name");
        return name == null ? "(console only)" : Path.of(name).toAbsolutePath().normalize().toString();
    }
}
