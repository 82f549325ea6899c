package dev.sealgate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The Sealgate service: gateway, intranet and web-portal roles in one process. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class SealgateApplication {

    public static void main(String[] args) {
        SpringApplication.run(SealgateApplication.class, args);
    }
}
