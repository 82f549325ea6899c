package dev.sealgate.bench.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sealgate.cluster.DatabaseCounters;
import dev.sealgate.storage.Databases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one cluster-wide counter increment costs (ADR 0107): {@link DatabaseCounters} on the embedded
 * H2 file database (as the service runs it) and on the PostgreSQL server at
 * {@code -Dsealgate.bench.postgres.url} (default 127.0.0.1:5432/test, user postgres), in a schema of
 * its own. One hot key (every node counting the same client) and 10 000 keys (many clients).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CounterBenchmark {

    private static final Duration WINDOW = Duration.ofMinutes(1);

    @Param({"h2", "postgresql"})
    public String database;

    private HikariDataSource dataSource;
    private DatabaseCounters counters;
    private Path h2Directory;
    private String schema;

    @Setup(Level.Trial)
    public void open() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setMaximumPoolSize(16);
        if (database.equals("h2")) {
            h2Directory = Files.createTempDirectory("counter-bench");
            config.setJdbcUrl("jdbc:h2:file:" + h2Directory.resolve("sealgate") + ";" + Databases.H2_COMPATIBILITY + ";WRITE_DELAY=0");
            config.setUsername("sa");
        } else {
            String url = System.getProperty("sealgate.bench.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
            schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            }
            config.setJdbcUrl(url + "?currentSchema=" + schema);
            config.setUsername("postgres");
        }
        dataSource = new HikariDataSource(config);
        var flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
        if (schema != null) {
            flyway.schemas(schema).defaultSchema(schema);
        }
        flyway.load().migrate();
        counters = new DatabaseCounters(dataSource);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        if (schema != null) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
        dataSource.close();
    }

    @Benchmark
    public long incrementOneHotKey() {
        return counters.increment("bench", "192.0.2.1", Instant.now(), WINDOW);
    }

    @Benchmark
    public long incrementManyKeys() {
        return counters.increment("bench", "10.0." + ThreadLocalRandom.current().nextInt(10_000), Instant.now(), WINDOW);
    }
}
