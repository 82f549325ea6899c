package dev.sealgate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Prints the {@link StartupSummary} as the first lines of the log, before the database, the queue
 * and the web server start, so that a start that fails later has still said where everything is.
 */
public class StartupSummaryLogger implements ApplicationListener<ApplicationPreparedEvent> {

    private static final Logger log = LoggerFactory.getLogger("dev.sealgate.Startup");

    @Override
    public void onApplicationEvent(ApplicationPreparedEvent event) {
        StartupSummary summary = StartupSummary.of(event.getApplicationContext().getEnvironment());
        summary.lines().forEach(log::info);
        summary.warnings().forEach(warning -> log.warn("Before production: {}", warning));
    }
}
