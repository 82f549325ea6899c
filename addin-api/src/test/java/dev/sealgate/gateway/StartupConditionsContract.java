package dev.sealgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.tracking.Event;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.tracking.EventQuery;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Issue 13 item 7: a warning raised at start ("No own domains configured") is marked resolved at the
 * first start after the admin fixed it, and raised anew (not repeated while it stands) otherwise.
 */
public interface StartupConditionsContract {

    DataSource dataSource();

    private static <T> T bind(String prefix, Class<T> type, Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate(prefix, type);
    }

    private static GatewayProperties gateway(Map<String, String> values) {
        return bind("sealgate", GatewayProperties.class, values);
    }

    private static RelayProperties relay(Map<String, String> values) {
        return bind("sealgate.relay", RelayProperties.class, values);
    }

    private List<Event> unresolved(EventLog events) {
        return events.find(new EventQuery(null, null, null, null, 100, true)).stream()
                .filter(e -> e.condition() != null && e.condition().startsWith("startup.")).toList();
    }

    @Test
    default void shouldResolveTheStartupWarningsOnceTheConfigurationIsFixed() {
        EventLog events = new EventLog(dataSource(), Clock.systemUTC());

        StartupConditions.check(events, gateway(Map.of()), relay(Map.of()));
        StartupConditions.check(events, gateway(Map.of()), relay(Map.of()));

        assertThat(unresolved(events)).extracting(Event::condition).containsExactlyInAnyOrder(StartupConditions.NO_OWN_DOMAINS,
                StartupConditions.NO_COMPANY_SERVERS, StartupConditions.NO_INBOUND_NEXT_HOP);
        assertThat(unresolved(events)).filteredOn(e -> e.condition().equals(StartupConditions.NO_OWN_DOMAINS)).singleElement()
                .satisfies(e -> assertThat(e.occurrences()).as("a second start counts, it does not repeat").isEqualTo(2));

        StartupConditions.check(events, gateway(Map.of("sealgate.domains", "corp.example")),
                relay(Map.of("sealgate.relay.inbound-next-hop", "mail.corp.example:25")));

        assertThat(unresolved(events)).extracting(Event::condition).containsExactly(StartupConditions.NO_COMPANY_SERVERS);
        assertThat(events.find(new EventQuery(null, null, null, "smtp", 100, false))).singleElement().satisfies(e -> {
            assertThat(e.condition()).isEqualTo(StartupConditions.NO_OWN_DOMAINS);
            assertThat(e.resolvedAt()).isNotNull();
            assertThat(e.resolution()).isEqualTo("own domains configured: corp.example");
        });
    }
}
