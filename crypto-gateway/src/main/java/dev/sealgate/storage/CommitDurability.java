package dev.sealgate.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * What it takes for a committed transaction to survive a power loss, per database. PostgreSQL
 * flushes its WAL at commit ({@code synchronous_commit=on}), so nothing more is needed. H2 writes a
 * commit to its file with {@code WRITE_DELAY=0} but never fsyncs it (seen with strace: the only
 * fsyncs come at close); {@code CHECKPOINT SYNC} forces the file to disk. Callers that promise
 * durability to a peer ("250 OK") call {@link #afterCommit()} before they answer.
 */
public final class CommitDurability {

    /** How a database makes commits durable. */
    public enum Kind {
        /** The commit itself is durable. */
        AT_COMMIT,
        /** The database file must be synced after the commit. */
        CHECKPOINT_SYNC
    }

    private final DataSource dataSource;
    private final Kind kind;

    private CommitDurability(DataSource dataSource, Kind kind) {
        this.dataSource = dataSource;
        this.kind = kind;
    }

    public static CommitDurability of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            boolean h2 = "H2".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
            return new CommitDurability(dataSource, h2 ? Kind.CHECKPOINT_SYNC : Kind.AT_COMMIT);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database to learn how it makes commits durable: " + e.getMessage(), e);
        }
    }

    public Kind kind() {
        return kind;
    }

    /** Makes every transaction committed so far survive a power loss. */
    public void afterCommit() {
        if (kind == Kind.AT_COMMIT) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT SYNC");
        } catch (SQLException e) {
            throw new IllegalStateException("could not sync the embedded database to disk: " + e.getMessage(), e);
        }
    }
}
