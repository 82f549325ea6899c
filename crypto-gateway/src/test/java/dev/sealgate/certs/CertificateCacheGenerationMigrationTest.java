package dev.sealgate.certs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.storage.TestDatabase;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** V517: the certificate caches' generation row is there before the first change, so the by-hand statement of ADR 0212 finds it. */
class CertificateCacheGenerationMigrationTest {

    private static final Map<String, Supplier<TestDatabase>> DATABASES = Map.of("H2", TestDatabase::h2, "PostgreSQL", TestDatabase::postgres);

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void shouldLetTheDocumentedStatementMoveTheCertificateGenerationOnAFreshDatabase(String database) {
        try (TestDatabase db = DATABASES.get(database).get()) {
            JdbcClient jdbc = JdbcClient.create(db.dataSource());

            int moved = jdbc.sql("UPDATE cache_generation SET generation = generation + 1 WHERE cache_name = 'certificate'").update();

            assertThat(moved).isEqualTo(1);
            assertThat(jdbc.sql("SELECT generation FROM cache_generation WHERE cache_name = ?").param(CertificateStore.CACHE)
                    .query(Long.class).single()).isEqualTo(1);
        }
    }
}
