package dev.sealgate.files;

import dev.sealgate.gateway.SmtpProperties;
import dev.sealgate.pipeline.StepOrder;
import dev.sealgate.policy.RelayPolicy;
import dev.sealgate.queue.Intake;
import dev.sealgate.tracking.EventLog;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Connects large files to the mail path: the service's own notifications go through the queue, and
 * large attachments of outbound mail become download links.
 */
@Configuration(proxyBeanMethods = false)
class FilesGatewayConfiguration {

    @Bean
    MailSubmission queueMailSubmission(Intake intake, RelayPolicy relayPolicy, SmtpProperties smtp, Clock clock, EventLog events) {
        return new QueueMailSubmission(intake, relayPolicy::isOwnAddress, smtp.effectiveHostName(), clock, events);
    }

    /** After the add-in flags (it reads the "large files" flag), before the S/MIME steps. */
    @Bean
    @Order(StepOrder.LARGE_FILES)
    LargeFilesStep largeFilesStep(LargeFiles files, FilesProperties properties, SmtpProperties smtp, Environment environment,
                                  EventLog events) {
        return new LargeFilesStep(files, properties, () -> portalBase(properties, smtp, environment), events);
    }

    /**
     * {@code sealgate.files.public-base-url}; unset, the gateway's host name and the web server's
     * port, which recipients outside reach only if the service is exposed under that name.
     */
    static String portalBase(FilesProperties properties, SmtpProperties smtp, Environment environment) {
        if (properties.publicBaseUrl() != null) {
            String base = properties.publicBaseUrl().toString();
            return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        }
        String scheme = environment.getProperty("server.ssl.enabled", Boolean.class, false) ? "https" : "http";
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return scheme + "://" + smtp.effectiveHostName() + ":" + port;
    }
}
