package dev.sealgate;

import dev.sealgate.tracking.EventLog;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans the gateway's features share: the clock and the event log. */
@Configuration(proxyBeanMethods = false)
class CoreConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    EventLog eventLog(DataSource dataSource, Clock clock) {
        return new EventLog(dataSource, clock);
    }
}
