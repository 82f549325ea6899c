package dev.sealgate.flags;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Flags the add-in requested, kept by Internet Message-ID and sender. Outlook drops internet headers
 * in known cases (e.g. some Send As and cached-mode paths); the gateway then looks the flags up here.
 * The sender is part of the key, so nobody can set flags for someone else's Message-ID.
 */
public final class MessageFlagsStore {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public MessageFlagsStore(DataSource dataSource, Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.clock = clock;
    }

    public void save(String messageId, String sender, MessageFlags flags, Instant expiresAt) {
        String id = messageId.strip();
        String who = sender.strip().toLowerCase(Locale.ROOT);
        transactions.executeWithoutResult(status -> {
            jdbc.sql("DELETE FROM message_flags WHERE message_id = ? AND sender = ?").params(id, who).update();
            jdbc.sql("INSERT INTO message_flags (message_id, sender, encrypt, sign, large_files, created_at, expires_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(id, who, flags.encrypt(), flags.sign(), flags.largeFiles(),
                            Timestamp.from(clock.instant()), Timestamp.from(expiresAt))
                    .update();
        });
    }

    /** The flags for this message and envelope sender, unless they have expired. */
    public Optional<MessageFlags> find(String messageId, String sender) {
        if (messageId == null || sender == null) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT encrypt, sign, large_files FROM message_flags "
                        + "WHERE message_id = ? AND sender = ? AND expires_at > ?")
                .params(messageId.strip(), sender.strip().toLowerCase(Locale.ROOT), Timestamp.from(clock.instant()))
                .query((rs, row) -> new MessageFlags(rs.getBoolean("encrypt"), rs.getBoolean("sign"), rs.getBoolean("large_files")))
                .optional();
    }

    public int deleteExpired() {
        return jdbc.sql("DELETE FROM message_flags WHERE expires_at <= ?").param(Timestamp.from(clock.instant())).update();
    }
}
