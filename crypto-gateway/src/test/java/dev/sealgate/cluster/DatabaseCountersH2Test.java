package dev.sealgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.storage.DatabaseExtension;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

class DatabaseCountersH2Test implements SharedCountersContract {

    @RegisterExtension
    static final DatabaseExtension db = DatabaseExtension.h2();

    @Override
    public SharedCounters node() {
        return new DatabaseCounters(db.dataSource());
    }

    @Test
    void shouldKeepNoKeyAsGivenInTheDatabase() {
        node().increment("portal-links", "secret-link-token-0123456789", Instant.parse("2026-07-04T10:00:00Z"), MINUTE);

        assertThat(JdbcClient.create(db.dataSource()).sql("SELECT counter_key FROM cluster_counter WHERE counter_name = 'portal-links'")
                .query(String.class).list()).singleElement().asString().hasSize(64).doesNotContain("secret");
    }

    @Test
    void shouldDeleteExpiredWindows() {
        Instant t0 = Instant.parse("2026-07-05T10:00:00Z");
        node().increment("expiring", "a", t0, MINUTE);

        new DatabaseCounters(db.dataSource()).increment("expiring", "b", t0.plus(MINUTE.multipliedBy(3)), MINUTE);

        assertThat(node().count("expiring", "a", t0, MINUTE)).isZero();
    }
}
