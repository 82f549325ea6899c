package dev.sealgate.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;

/**
 * A migrated, private database for one test class: an in-memory H2 in PostgreSQL mode, or a fresh
 * schema in the PostgreSQL server at {@code sealgate.test.postgres.url} (127.0.0.1:5432, database
 * {@code test}, user {@code postgres}) that is dropped again on close. Private schemas let several
 * builds share one server without seeing each other's rows.
 *
 * <p>When that server does not answer, the PostgreSQL variant is skipped with a message that says
 * so, except with {@code CI=true}, where a missing server fails the test.
 */
public final class TestDatabase implements AutoCloseable {

    private static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private final String name;
    private final String jdbcUrl;
    private final HikariDataSource dataSource;
    private final Runnable cleanup;
    private final String schema;

    private TestDatabase(String name, HikariDataSource dataSource, Runnable cleanup, String schema) {
        this.schema = schema;
        this.name = name;
        this.jdbcUrl = dataSource.getJdbcUrl();
        this.dataSource = dataSource;
        this.cleanup = cleanup;
    }

    public static TestDatabase h2() {
        return h2(null);
    }

    /** Migrated up to and including {@code version} only (null: all), for a test of a later migration on rows of before. */
    public static TestDatabase h2(String version) {
        String url = "jdbc:h2:mem:" + uniqueName() + ";DB_CLOSE_DELAY=-1;" + Databases.H2_COMPATIBILITY;
        HikariDataSource ds = pool(url, "sa", null);
        migrate(ds, null, version);
        return new TestDatabase("H2", ds, () -> {
        }, null);
    }

    public static TestDatabase postgres() {
        return postgres(null);
    }

    /** Migrated up to and including {@code version} only (null: all), for a test of a later migration on rows of before. */
    public static TestDatabase postgres(String version) {
        String url = postgresUrl();
        String schema = uniqueName();
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String reason = "PostgreSQL at " + url + " is not reachable (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(reason + ": with CI=true the PostgreSQL variant must run", e);
            }
            Assumptions.abort(reason + ": skipping the PostgreSQL variant; start the server or set CI=true to make this a failure");
        }
        HikariDataSource ds = pool(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, "postgres", null);
        migrate(ds, schema, version);
        return new TestDatabase("PostgreSQL", ds, () -> {
            try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop test schema " + schema + " on " + url, e);
            }
        }, schema);
    }

    /** Applies the migrations not applied yet (after {@link #h2(String)} or {@link #postgres(String)}). */
    public void migrateToLatest() {
        migrate(dataSource, schema, null);
    }

    /** The JDBC URL of the test PostgreSQL server, for tests that start a whole service. */
    public static String postgresUrl() {
        return System.getProperty("sealgate.test.postgres.url", DEFAULT_POSTGRES_URL);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The URL of this private database, for a service started against it. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** "H2" or "PostgreSQL", for test names and messages. */
    public String name() {
        return name;
    }

    @Override
    public void close() {
        dataSource.close();
        cleanup.run();
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(8);
        return new HikariDataSource(config);
    }

    private static void migrate(DataSource ds, String schema, String version) {
        var flyway = Flyway.configure().dataSource(ds).locations("classpath:db/migration");
        if (schema != null) {
            flyway.schemas(schema).defaultSchema(schema);
        }
        if (version != null) {
            flyway.target(version);
        }
        flyway.load().migrate();
    }

    private static String uniqueName() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
