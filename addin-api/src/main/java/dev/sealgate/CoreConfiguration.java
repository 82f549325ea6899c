package dev.sealgate;

import dev.sealgate.tracking.EventLog;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans the gateway's features share: the clock and the event log. */
@Configuration(proxyBeanMethods = false)
class CoreConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Identical events within {@code sealgate.tracking.event-aggregation-window} (default 1h) are counted in one entry. */
    @Bean
    EventLog eventLog(DataSource dataSource, Clock clock,
                      @Value("${sealgate.tracking.event-aggregation-window:1h}") Duration aggregationWindow) {
        return new EventLog(dataSource, clock, aggregationWindow);
    }
}
