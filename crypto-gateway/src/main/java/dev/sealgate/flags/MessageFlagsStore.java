package dev.sealgate.flags;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Flags the add-in requested, kept by Internet Message-ID and sender, and by the random correlation id
 * the add-in sets as {@code X-Sealgate-Correlation}. Outlook drops internet headers in known cases (e.g.
 * some Send As and cached-mode paths); the gateway then looks the flags up here. The sender is part of
 * every lookup, so nobody can use flags stored for someone else; a correlation id and a flags token
 * serve one message only (docs/adr/0123).
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

    /** What a correlation id found. */
    public sealed interface Correlated {
        record Found(MessageFlags flags) implements Correlated {
        }

        /** no flags stored under this id for this sender, or they expired */
        record Unknown() implements Correlated {
        }

        /** the id was already used by another message */
        record UsedBefore(String messageId) implements Correlated {
        }
    }

    public void saveCorrelated(String correlationId, String sender, MessageFlags flags, Instant expiresAt) {
        jdbc.sql("INSERT INTO flags_correlation (correlation_id, sender, encrypt, sign, large_files, created_at, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(correlationId.strip(), sender.strip().toLowerCase(Locale.ROOT), flags.encrypt(), flags.sign(),
                        flags.largeFiles(), Timestamp.from(clock.instant()), Timestamp.from(expiresAt))
                .update();
    }

    /**
     * The flags stored under this correlation id for this envelope sender, marked as used by this message.
     * The same message again (a pipeline run repeated after a restart) finds them again; another message
     * does not.
     */
    public Correlated takeCorrelated(String correlationId, String sender, String messageId) {
        if (correlationId == null || sender == null) {
            return new Correlated.Unknown();
        }
        String id = correlationId.strip();
        String who = sender.strip().toLowerCase(Locale.ROOT);
        String message = messageId == null ? "" : messageId.strip();
        Instant now = clock.instant();
        return transactions.execute(status -> {
            record Row(MessageFlags flags, Timestamp usedAt, String usedBy) {
            }
            Optional<Row> row = jdbc.sql("SELECT encrypt, sign, large_files, used_at, used_message_id FROM flags_correlation "
                            + "WHERE correlation_id = ? AND sender = ? AND expires_at > ? FOR UPDATE")
                    .params(id, who, Timestamp.from(now))
                    .query((rs, n) -> new Row(new MessageFlags(rs.getBoolean("encrypt"), rs.getBoolean("sign"), rs.getBoolean("large_files")),
                            rs.getTimestamp("used_at"), rs.getString("used_message_id")))
                    .optional();
            if (row.isEmpty()) {
                return new Correlated.Unknown();
            }
            if (row.get().usedAt() != null && !message.equals(row.get().usedBy())) {
                return new Correlated.UsedBefore(row.get().usedBy());
            }
            jdbc.sql("UPDATE flags_correlation SET used_at = ?, used_message_id = ? WHERE correlation_id = ?")
                    .params(Timestamp.from(now), message, id).update();
            return new Correlated.Found(row.get().flags());
        });
    }

    /**
     * Records that a flags token was honoured for this message. False when it was honoured before for
     * another message: a replay.
     */
    public boolean useToken(String tokenId, String sender, String messageId, Instant expiresAt) {
        String message = messageId == null ? "" : messageId.strip();
        try {
            return Boolean.TRUE.equals(transactions.execute(status -> {
            Optional<String> usedBy = jdbc.sql("SELECT message_id FROM flags_token_use WHERE token_id = ? FOR UPDATE")
                    .param(tokenId).query(String.class).optional();
            if (usedBy.isPresent()) {
                return usedBy.get().equals(message);
            }
            jdbc.sql("INSERT INTO flags_token_use (token_id, sender, message_id, used_at, expires_at) VALUES (?, ?, ?, ?, ?)")
                    .params(tokenId, sender.strip().toLowerCase(Locale.ROOT), message, Timestamp.from(clock.instant()),
                            Timestamp.from(expiresAt))
                    .update();
            return true;
            }));
        } catch (DuplicateKeyException e) {
            // the same token on two messages at the same moment: the other one won
            return false;
        }
    }

    public int deleteExpired() {
        Timestamp now = Timestamp.from(clock.instant());
        return jdbc.sql("DELETE FROM message_flags WHERE expires_at <= ?").param(now).update()
                + jdbc.sql("DELETE FROM flags_correlation WHERE expires_at <= ?").param(now).update()
                + jdbc.sql("DELETE FROM flags_token_use WHERE expires_at <= ?").param(now).update();
    }
}
