package dev.sealgate;

import dev.sealgate.cli.Cli;
import dev.sealgate.io.MailStreamProviders;
import dev.sealgate.net.OutboundProxy;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.system.ApplicationHome;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The Sealgate service: gateway, intranet and web-portal roles in one process. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class SealgateApplication {

    public static void main(String[] args) {
        // before any HTTP client exists: the JDK reads it once (ADR 0175)
        OutboundProxy.allowBasicForTunnels();
        // before the first message is parsed: Jakarta Mail looks its stream provider up per header otherwise (ADR 0215)
        MailStreamProviders.pin();
        if (Cli.handles(args)) {
            System.exit(Cli.run(args));
        }
        application().run(args);
    }

    /**
     * The service as {@code main} starts it. Besides Spring Boot's usual places (the working
     * directory and its {@code config/}), an {@code application.yml} beside the jar is read, as the
     * docs promise; the start-up summary names every file that was read.
     */
    public static SpringApplication application() {
        SpringApplication application = new SpringApplication(SealgateApplication.class);
        jarDirectory().ifPresent(dir -> application.setDefaultProperties(
                Map.of("spring.config.additional-location", "optional:file:" + dir + "/")));
        return application;
    }

    /** The directory of the jar this runs from, unless that is the working directory (read anyway). */
    public static java.util.Optional<Path> jarDirectory() {
        ApplicationHome home = new ApplicationHome(SealgateApplication.class);
        if (home.getSource() == null || !home.getSource().getName().endsWith(".jar")) {
            return java.util.Optional.empty();
        }
        Path dir = home.getDir().toPath().toAbsolutePath().normalize();
        Path workingDirectory = Path.of("").toAbsolutePath().normalize();
        return dir.equals(workingDirectory) ? java.util.Optional.empty() : java.util.Optional.of(dir);
    }
}
