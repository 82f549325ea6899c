package dev.sealgate.queue;

import dev.sealgate.policy.Direction;
import dev.sealgate.smtp.Envelope;
import dev.sealgate.smtp.EnvelopeRecipient;
import dev.sealgate.storage.CommitDurability;
import dev.sealgate.tracking.MessageStatus;
import dev.sealgate.tracking.RecipientStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.StatementCreatorUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The queue in the database: messages and their recipients, claims of delivery workers, attempts.
 * Claims are leases: a worker sets {@code claimed_by}, {@code claimed_node} and {@code claim_expires_at}.
 * A claim is taken over by the next worker that looks once its node stopped heart-beating for
 * {@code takeoverAfter} (see {@code dev.sealgate.cluster.ClusterNodes}), whatever its lease says;
 * while its node heartbeats, the claim holds, however long the delivery takes. A claim whose node
 * never wrote a heartbeat falls back to its lease. The claiming statement
 * locks with {@code FOR UPDATE SKIP LOCKED} (PostgreSQL and H2 both take it), so several nodes
 * sharing one database never claim the same recipient. See docs/adr/0032-queue-claims.md and
 * docs/adr/0106-node-heartbeats-and-queue-takeover.md.
 */
public class QueueRepository {

    public static final long DEFAULT_TAKEOVER_SECONDS = 60;

    /**
     * Which claims another worker may take: none held; held by a node whose heartbeat is stale;
     * or with an expired lease and no fresh heartbeat of its node (claims from before heartbeats).
     */
    private static final String TAKEABLE = "(r.claimed_by IS NULL"
            + " OR r.claimed_node IN (SELECT n.node_id FROM cluster_node n WHERE n.last_seen_at < :stale)"
            + " OR (r.claim_expires_at < :now AND NOT EXISTS (SELECT 1 FROM cluster_node n"
            + " WHERE n.node_id = r.claimed_node AND n.last_seen_at >= :stale)))";

    private static final String CLAIMED_COLUMNS = "r.id, r.message_id, r.address, r.notify, r.orcpt, r.next_hop, r.content_file,"
            + " r.attempts, m.envelope_sender, m.dsn_ret, m.dsn_envid, m.received_at, m.direction, m.subject";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JdbcTemplate batch;
    private final CommitDurability durability;
    private final Duration takeoverAfter;
    /**
     * One group commit for the intake's new messages and the delivery workers' outcomes: what both
     * hand over at the same moment shares one transaction (ADR 0214). On the embedded database every
     * commit rewrites the B-tree pages it touched, and new rows and the rows of mail delivered a
     * moment ago sit on the same pages; two commits wrote them twice.
     */
    private final GroupCommit<Work> groupCommit = new GroupCommit<>(this::commitTogether);
    private final ThreadLocal<Deferred> deferred = new ThreadLocal<>();

    /** With the default takeover time of {@value #DEFAULT_TAKEOVER_SECONDS} seconds. */
    public QueueRepository(DataSource dataSource) {
        this(dataSource, Duration.ofSeconds(DEFAULT_TAKEOVER_SECONDS));
    }

    /** @param takeoverAfter how long a node may miss its heartbeat before its claims are taken over */
    public QueueRepository(DataSource dataSource, Duration takeoverAfter) {
        this.takeoverAfter = takeoverAfter;
        this.jdbc = JdbcClient.create(dataSource);
        this.batch = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.durability = CommitDurability.of(dataSource);
    }

    /**
     * Stores the messages with all their recipients in one transaction; when it returns, they are
     * committed and on disk, so the caller may answer "250". Concurrent callers share a
     * transaction and a sync ({@link GroupCommit}).
     */
    public void enqueue(List<NewMessage> messages) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            // a notice written with a delivery's outcome: it commits with that transaction
            insert(messages, null, null);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    durability.afterCommit();
                }
            });
            return;
        }
        groupCommit.commit(new Enqueue(messages, null, null));
    }

    /** What one caller hands to the group commit: new messages, or a delivery outcome's statements. */
    private sealed interface Work permits Enqueue, Outcome {
    }

    private record Outcome(Runnable statements) implements Work {
    }

    /**
     * As {@link #enqueue}, but the PENDING recipients go in already claimed by {@code node} for
     * {@code lease}, in the same rows and the same durable commit, and come back as claims: the
     * caller hands them straight to this node's delivery workers, with no poll and no claiming
     * statement in between (ADR 0150). The claim is an ordinary one: a restart of this node gives
     * it back ({@link #releaseClaims}), and when this node stops heart-beating another node takes
     * it over, so a kill -9 between the commit and the delivery loses nothing.
     */
    public List<ClaimedRecipient> enqueueClaimed(List<NewMessage> messages, String node, Instant now, Duration lease) {
        Enqueue request = new Enqueue(messages, node, now.plus(lease));
        groupCommit.commit(request);
        return request.claims;
    }

    /** One caller's messages in a group commit; {@code node} set when its recipients go in claimed. */
    private static final class Enqueue implements Work {
        final List<NewMessage> messages;
        final String node;
        final Instant expires;
        List<ClaimedRecipient> claims = List.of();

        Enqueue(List<NewMessage> messages, String node, Instant expires) {
            this.messages = messages;
            this.node = node;
            this.expires = expires;
        }
    }

    /**
     * Commits the new messages and the outcomes in one transaction: the messages first, in two
     * batched statements, then the outcomes' statements, one JDBC batch per statement (ADR 0192).
     * Synced to disk when new messages are in it: their senders wait for "250". Outcomes alone
     * are not synced (a lost outcome means a delivery repeated, never a message lost).
     */
    private void commitTogether(List<Work> work) {
        List<Enqueue> requests = new ArrayList<>();
        List<Runnable> outcomes = new ArrayList<>();
        for (Work w : work) {
            if (w instanceof Enqueue e) {
                requests.add(e);
            } else if (w instanceof Outcome o) {
                outcomes.add(o.statements());
            }
        }
        List<List<ClaimedRecipient>> claims = transactions.execute(status -> {
            List<List<ClaimedRecipient>> result = insertAll(requests);
            if (!outcomes.isEmpty()) {
                Deferred collected = new Deferred();
                deferred.set(collected);
                try {
                    outcomes.forEach(Runnable::run);
                    flushDeferred();
                } finally {
                    deferred.remove();
                }
            }
            return result;
        });
        if (!requests.isEmpty()) {
            durability.afterCommit();
        }
        for (int i = 0; i < requests.size(); i++) {
            requests.get(i).claims = claims.get(i);
        }
    }

    private List<List<ClaimedRecipient>> insertAll(List<Enqueue> requests) {
        List<List<ClaimedRecipient>> result = new ArrayList<>(requests.size());
        for (Enqueue request : requests) {
            result.add(List.of());
        }
        // unclaimed rows of all callers together; claimed ones per node (one node in practice)
        insert(requests.stream().filter(r -> r.node == null).flatMap(r -> r.messages.stream()).toList(), null, null);
        for (int i = 0; i < requests.size(); i++) {
            Enqueue request = requests.get(i);
            if (request.node != null) {
                String token = request.node + ":intake-" + UUID.randomUUID();
                result.set(i, insert(request.messages, token, request.expires));
            }
        }
        return result;
    }

    /**
     * Two batched statements, whatever the number of messages and recipients. With a claim token,
     * the PENDING recipients are written claimed by it until {@code expires} and returned as claims,
     * built from what was written and the ids the database generated (no read-back, ADR 0193), in
     * the order a claim query gives them: by next hop, message, id.
     */
    private List<ClaimedRecipient> insert(List<NewMessage> messages, String claimToken, Instant expires) {
        if (messages.isEmpty()) {
            return List.of();
        }
        String claimNode = claimToken == null ? null : claimToken.substring(0, claimToken.lastIndexOf(":intake-"));
        List<Object[]> messageRows = new ArrayList<>(messages.size());
        List<Object[]> recipientRows = new ArrayList<>();
        for (NewMessage m : messages) {
            Envelope e = m.envelope();
            String rules = e.recipients().stream().map(EnvelopeRecipient::ruleName).filter(n -> n != null).distinct()
                    .collect(Collectors.joining(", "));
            MessageStatus status = MessageStatus.of(m.recipients().stream()
                    .map(r -> new MessageStatus.RecipientState(r.status(), 0)).toList());
            messageRows.add(new Object[] {m.id(), ts(m.receivedAt()), e.clientAddress(), cut(e.helo(), 255), e.tlsProtocol(),
                e.tlsCipher(), e.sender(), cut(m.headerFrom(), 1000), cut(m.subject(), 1000), e.direction().name(),
                rules.isEmpty() ? null : cut(rules, 200), m.size(), e.ret(), e.envid(), status.name(), m.cryptoOperations(),
                cut(m.headerMessageId(), 998)});
            for (NewMessage.Recipient r : m.recipients()) {
                boolean finished = r.status() != RecipientStatus.PENDING && r.status() != RecipientStatus.HELD;
                boolean claim = claimToken != null && r.status() == RecipientStatus.PENDING;
                recipientRows.add(new Object[] {m.id(), r.address(), r.dsnNotify(), r.orcpt(), r.nextHop(), r.contentFile(),
                    r.status().name(), cut(r.detail(), 1000), ts(m.receivedAt()), finished ? ts(m.receivedAt()) : null,
                    claim ? claimToken : null, claim ? claimNode : null, claim ? ts(expires) : null});
            }
        }
        batch.batchUpdate("INSERT INTO mail_message (id, received_at, client_address, helo, tls_protocol, tls_cipher,"
                + " envelope_sender, header_from, subject, direction, rule_name, size_bytes, dsn_ret, dsn_envid, status,"
                + " crypto_operations, header_message_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", messageRows);
        String recipientInsert = "INSERT INTO mail_recipient (message_id, address, notify, orcpt, next_hop, content_file, status,"
                + " status_detail, next_attempt_at, finished_at, claimed_by, claimed_node, claim_expires_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        if (claimToken == null) {
            batch.batchUpdate(recipientInsert, recipientRows);
            return List.of();
        }
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        batch.batchUpdate(connection -> connection.prepareStatement(recipientInsert, new String[] {"id"}),
                new BatchPreparedStatementSetter() {
                    @Override
                    public void setValues(PreparedStatement ps, int i) throws SQLException {
                        Object[] row = recipientRows.get(i);
                        for (int c = 0; c < row.length; c++) {
                            StatementCreatorUtils.setParameterValue(ps, c + 1, SqlTypeValue.TYPE_UNKNOWN, row[c]);
                        }
                    }

                    @Override
                    public int getBatchSize() {
                        return recipientRows.size();
                    }
                }, keys);
        List<Map<String, Object>> ids = keys.getKeyList();
        if (ids.size() != recipientRows.size()) {
            throw new IllegalStateException("the database gave " + ids.size() + " ids for " + recipientRows.size() + " recipients");
        }
        List<ClaimedRecipient> claims = new ArrayList<>();
        int row = 0;
        for (NewMessage m : messages) {
            Envelope e = m.envelope();
            int rows = m.recipients().size();
            // as the databases store it: to the microsecond, rounded
            Instant received = m.receivedAt().plusNanos(500).truncatedTo(ChronoUnit.MICROS);
            for (NewMessage.Recipient r : m.recipients()) {
                long id = ((Number) ids.get(row++).values().iterator().next()).longValue();
                if (r.status() == RecipientStatus.PENDING) {
                    claims.add(new ClaimedRecipient(id, m.id(), r.address(), r.dsnNotify(), r.orcpt(), r.nextHop(), r.contentFile(), 0,
                            e.sender(), e.ret(), e.envid(), received, e.direction(), cut(m.subject(), 1000), rows));
                }
            }
        }
        claims.sort(Comparator.comparing(ClaimedRecipient::nextHop, Comparator.nullsLast(Comparator.<String>naturalOrder()))
                .thenComparing(ClaimedRecipient::messageId).thenComparingLong(ClaimedRecipient::id));
        return claims;
    }

    /** Runs several updates in one transaction (one commit per delivered transaction, not per row). */
    public void inTransaction(Runnable work) {
        transactions.executeWithoutResult(status -> work.run());
    }

    /**
     * Statements held back for one JDBC batch each, by statement, in the order they came; a read in
     * between ({@link #refreshStatus}, {@link #isContentNeeded}) sends what was collected first, so
     * it sees it.
     */
    private static final class Deferred {
        final Map<String, List<Object[]>> bySql = new LinkedHashMap<>();
    }

    /** Runs the update now, or in the batch of the outcomes being recorded on this thread. */
    private void update(String sql, Object... params) {
        Deferred collected = deferred.get();
        if (collected != null) {
            collected.bySql.computeIfAbsent(sql, k -> new ArrayList<>()).add(params);
            return;
        }
        jdbc.sql(sql).params(params).update();
    }

    private void flushDeferred() {
        Deferred collected = deferred.get();
        if (collected == null || collected.bySql.isEmpty()) {
            return;
        }
        for (Map.Entry<String, List<Object[]>> statement : collected.bySql.entrySet()) {
            if (statement.getValue().size() == 1) {
                jdbc.sql(statement.getKey()).params(statement.getValue().get(0)).update();
            } else {
                batch.batchUpdate(statement.getKey(), statement.getValue());
            }
        }
        collected.bySql.clear();
    }

    /**
     * Runs a delivery outcome's updates in one transaction, shared with the outcomes other
     * delivery workers and the new messages the intake hands over at the same moment
     * ({@link GroupCommit}, ADR 0214); returns once committed. The
     * work may run twice (alone again after its batch failed): the first run's rows are rolled back,
     * a notice's spool file it wrote stays as an orphan that the spool's clean-up deletes.
     */
    public void recordOutcome(Runnable work) {
        groupCommit.commit(new Outcome(work));
    }

    /** How many callers wait for the next shared commit (for tests that line callers up). */
    int waitingForCommit() {
        return groupCommit.waiting();
    }

    /**
     * Claims up to {@code limit} recipients that are due, for {@code lease}; returns them with the
     * claim token that later updates must present.
     */
    public List<ClaimedRecipient> claimDue(String node, Instant now, Duration lease, int limit) {
        String token = node + ":" + UUID.randomUUID();
        // the due rows are locked by id, claimed by id and read back by id: no statement looks for
        // the token in a column without an index (the whole table, tracking rows included, once per poll)
        List<Long> claimed = transactions.execute(status -> {
            List<Long> due = jdbc.sql("SELECT r.id FROM mail_recipient r WHERE r.status = 'PENDING' AND r.next_attempt_at <= :now"
                            + " AND " + TAKEABLE + " ORDER BY r.next_attempt_at, r.id LIMIT :limit FOR UPDATE SKIP LOCKED")
                    .param("now", ts(now)).param("stale", ts(now.minus(takeoverAfter))).param("limit", limit)
                    .query(Long.class).list();
            if (due.isEmpty()) {
                return due;
            }
            jdbc.sql("UPDATE mail_recipient r SET claimed_by = :token, claimed_node = :node, claim_expires_at = :expires"
                            + " WHERE r.id IN (:ids) AND r.status = 'PENDING' AND " + TAKEABLE)
                    .param("token", token).param("node", node).param("expires", ts(now.plus(lease))).param("now", ts(now))
                    .param("stale", ts(now.minus(takeoverAfter))).param("ids", due)
                    .update();
            return due;
        });
        if (claimed == null || claimed.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT " + CLAIMED_COLUMNS + " FROM mail_recipient r JOIN mail_message m ON m.id = r.message_id"
                        + " WHERE r.id IN (:ids) AND r.claimed_by = :token ORDER BY r.next_hop, r.message_id, r.id")
                .param("ids", claimed).param("token", token).query(QueueRepository::claimed).list();
    }

    /** A recipient still waiting, with the last reply it got, for a delay notice. */
    public record DelayedRecipient(ClaimedRecipient recipient, String lastReply) {
    }

    /**
     * Recipients still waiting that asked for NOTIFY=DELAY, whose message arrived before the given
     * instant and has a sender to tell, and that got no delay notice yet; oldest first.
     */
    public List<DelayedRecipient> dueForDelayNotice(Instant receivedBefore, int limit) {
        return jdbc.sql("SELECT " + CLAIMED_COLUMNS + ", r.status_detail FROM mail_recipient r JOIN mail_message m ON m.id = r.message_id"
                        + " WHERE r.status = 'PENDING' AND r.delay_notice_at IS NULL AND r.notify LIKE '%DELAY%'"
                        + " AND m.received_at < ? AND m.envelope_sender <> '' ORDER BY m.received_at, r.id LIMIT ?")
                .params(ts(receivedBefore), limit)
                .query((rs, n) -> new DelayedRecipient(claimed(rs, n), rs.getString("status_detail"))).list();
    }

    /** Marks the delay notice of a recipient sent; false when it was already (another node), so it goes out at most once. */
    public boolean markDelayNoticeSent(long recipientId, Instant now) {
        return jdbc.sql("UPDATE mail_recipient SET delay_notice_at = ? WHERE id = ? AND delay_notice_at IS NULL")
                .params(ts(now), recipientId).update() == 1;
    }

    /** Gives back every claim of this node (at start: a node that restarts takes up its own work at once). */
    public int releaseClaims(String node) {
        return jdbc.sql("UPDATE mail_recipient SET claimed_by = NULL, claimed_node = NULL, claim_expires_at = NULL"
                        + " WHERE claimed_by LIKE ?")
                .param(node.replace("%", "\\%").replace("_", "\\_") + ":%").update();
    }

    public void delivered(long recipientId, String reply, Instant now) {
        finish(recipientId, RecipientStatus.DELIVERED, reply, now);
    }

    public void failed(long recipientId, String reply, Instant now) {
        finish(recipientId, RecipientStatus.FAILED, reply, now);
    }

    private void finish(long recipientId, RecipientStatus status, String reply, Instant now) {
        update("UPDATE mail_recipient SET status = ?, status_detail = ?, attempts = attempts + 1, finished_at = ?,"
                        + " claimed_by = NULL, claimed_node = NULL, claim_expires_at = NULL WHERE id = ?",
                status.name(), cut(reply, 1000), ts(now), recipientId);
    }

    public void retryLater(long recipientId, String reply, Instant nextAttempt) {
        update("UPDATE mail_recipient SET status_detail = ?, attempts = attempts + 1, next_attempt_at = ?,"
                        + " claimed_by = NULL, claimed_node = NULL, claim_expires_at = NULL WHERE id = ?",
                cut(reply, 1000), ts(nextAttempt), recipientId);
    }

    public void recordAttempt(String messageId, Instant at, String nextHop, List<String> recipients, String outcome, String reply) {
        update("INSERT INTO delivery_attempt (message_id, attempted_at, next_hop, recipients, outcome, reply) VALUES (?, ?, ?, ?, ?, ?)",
                messageId, ts(at), cut(nextHop, 300), String.join(", ", recipients), outcome, cut(reply, 1000));
    }

    /**
     * Recomputes the message's tracking status from its recipients. Locks the message row first:
     * workers delivering the same message to different next hops finish concurrently, and each
     * must see the other's committed recipients, or the last one would write a stale status.
     */
    public MessageStatus refreshStatus(String messageId, Instant now) {
        flushDeferred();
        jdbc.sql("SELECT id FROM mail_message WHERE id = ? FOR UPDATE").param(messageId).query(String.class).optional();
        List<MessageStatus.RecipientState> states = jdbc.sql("SELECT status, attempts FROM mail_recipient WHERE message_id = ?")
                .param(messageId)
                .query((rs, n) -> new MessageStatus.RecipientState(RecipientStatus.valueOf(rs.getString(1)), rs.getInt(2)))
                .list();
        MessageStatus status = MessageStatus.of(states);
        boolean finished = status == MessageStatus.Success || status == MessageStatus.PartialSuccess
                || status == MessageStatus.PermanentlyBlocked;
        jdbc.sql("UPDATE mail_message SET status = ?, finished_at = ? WHERE id = ?")
                .params(status.name(), finished ? ts(now) : null, messageId).update();
        return status;
    }

    /**
     * Sets the message's tracking status computed by the caller, who holds every recipient row of
     * the message (a delivery that carried all of them): no lock, no read of the rows.
     */
    public void setStatus(String messageId, MessageStatus status, Instant now) {
        boolean finished = status == MessageStatus.Success || status == MessageStatus.PartialSuccess
                || status == MessageStatus.PermanentlyBlocked;
        update("UPDATE mail_message SET status = ?, finished_at = ? WHERE id = ?", status.name(), finished ? ts(now) : null, messageId);
    }

    /** Whether any unfinished recipient still needs this spool file. */
    public boolean isContentNeeded(String contentFile) {
        flushDeferred();
        return jdbc.sql("SELECT COUNT(*) FROM mail_recipient WHERE content_file = ? AND status IN ('PENDING', 'HELD')")
                .param(contentFile).query(Integer.class).single() > 0;
    }

    /** The messages waiting per next hop. */
    public List<NextHopQueue> queues() {
        return jdbc.sql("SELECT next_hop, COUNT(*) AS recipients, COUNT(DISTINCT message_id) AS messages,"
                        + " SUM(CASE WHEN status = 'HELD' THEN 1 ELSE 0 END) AS held, MIN(next_attempt_at) AS next_attempt,"
                        + " MAX(attempts) AS max_attempts"
                        + " FROM mail_recipient WHERE status IN ('PENDING', 'HELD') GROUP BY next_hop ORDER BY next_hop")
                .query((rs, n) -> new NextHopQueue(rs.getString("next_hop"), rs.getInt("messages"), rs.getInt("recipients"),
                        rs.getInt("held"), instant(rs, "next_attempt"), rs.getInt("max_attempts")))
                .list();
    }

    /** Messages with recipients waiting for delivery (not held), oldest first; optionally of one next hop. */
    public List<QueuedMessage> queued(String nextHop, int limit) {
        return jdbc.sql("SELECT m.id, m.received_at, m.envelope_sender, m.subject, r.next_hop, r.address, r.attempts,"
                        + " r.next_attempt_at, r.status_detail"
                        + " FROM mail_recipient r JOIN mail_message m ON m.id = r.message_id"
                        + " WHERE r.status = 'PENDING' AND (CAST(? AS VARCHAR(300)) IS NULL OR r.next_hop = ?)"
                        + " ORDER BY m.received_at, m.id, r.id")
                .params(nextHop, nextHop)
                .query((rs, n) -> new QueuedMessage(rs.getString("id"), instant(rs, "received_at"), rs.getString("envelope_sender"),
                        rs.getString("subject"), rs.getString("next_hop"), List.of(rs.getString("address")), rs.getInt("attempts"),
                        instant(rs, "next_attempt_at"), rs.getString("status_detail")))
                .list().stream()
                .collect(Collectors.groupingBy(q -> q.messageId() + "\n" + q.nextHop(), java.util.LinkedHashMap::new, Collectors.toList()))
                .values().stream()
                .limit(limit)
                .map(list -> {
                    QueuedMessage first = list.get(0);
                    return new QueuedMessage(first.messageId(), first.receivedAt(), first.sender(), first.subject(), first.nextHop(),
                            list.stream().flatMap(q -> q.recipients().stream()).toList(),
                            list.stream().mapToInt(QueuedMessage::attempts).max().orElse(0),
                            list.stream().map(QueuedMessage::nextAttempt).filter(java.util.Objects::nonNull).min(Instant::compareTo).orElse(null),
                            first.lastReply());
                })
                .toList();
    }

    /**
     * Makes the waiting recipients of a message due now (postqueue -i); a claim a worker holds
     * right now is left alone, that attempt is already under way. Returns how many.
     */
    public int retryNow(String messageId, Instant now) {
        return jdbc.sql("UPDATE mail_recipient SET next_attempt_at = ? WHERE message_id = ? AND status = 'PENDING'"
                        + " AND (claim_expires_at IS NULL OR claim_expires_at <= ?)")
                .params(ts(now), messageId, ts(now)).update();
    }

    /**
     * Deletes the waiting recipients of a message without a bounce (postsuper -d); its tracking
     * record stays with status "deleted by admin". A recipient a worker is delivering right now is
     * left alone. Returns the spool files no longer needed, or null when nothing was deleted.
     */
    public List<String> deleteQueued(String messageId, Instant now) {
        List<String> files = jdbc.sql("SELECT DISTINCT content_file FROM mail_recipient WHERE message_id = ? AND status = 'PENDING'")
                .param(messageId).query(String.class).list();
        int n = jdbc.sql("UPDATE mail_recipient SET status = 'DELETED', status_detail = 'deleted by admin', finished_at = ?,"
                        + " claimed_by = NULL, claim_expires_at = NULL WHERE message_id = ? AND status = 'PENDING'"
                        + " AND (claim_expires_at IS NULL OR claim_expires_at <= ?)")
                .params(ts(now), messageId, ts(now)).update();
        if (n == 0) {
            return null;
        }
        refreshStatus(messageId, now);
        return files.stream().filter(f -> !isContentNeeded(f)).toList();
    }

    /**
     * Fails the waiting recipients of a message as an admin's bounce (a permanent failure that no
     * next hop gave): status FAILED with {@code reply} as detail, and a delivery attempt "admin" in
     * the tracking record. A recipient a worker is delivering right now is left alone. Returns the
     * recipients bounced, with what a failure notice needs; empty when none was waiting.
     */
    public List<ClaimedRecipient> bounceQueued(String messageId, String reply, Instant now) {
        List<ClaimedRecipient> bounced = new ArrayList<>();
        transactions.executeWithoutResult(status -> {
            List<ClaimedRecipient> waiting = jdbc.sql("SELECT " + CLAIMED_COLUMNS + " FROM mail_recipient r"
                            + " JOIN mail_message m ON m.id = r.message_id WHERE r.message_id = ? AND r.status = 'PENDING' ORDER BY r.id")
                    .param(messageId).query(QueueRepository::claimed).list();
            for (ClaimedRecipient r : waiting) {
                int n = jdbc.sql("UPDATE mail_recipient SET status = 'FAILED', status_detail = ?, finished_at = ?, claimed_by = NULL,"
                                + " claimed_node = NULL, claim_expires_at = NULL WHERE id = ? AND status = 'PENDING'"
                                + " AND (claim_expires_at IS NULL OR claim_expires_at <= ?)")
                        .params(cut(reply, 1000), ts(now), r.id(), ts(now)).update();
                if (n == 1) {
                    bounced.add(r);
                }
            }
            if (!bounced.isEmpty()) {
                recordAttempt(messageId, now, "admin", bounced.stream().map(ClaimedRecipient::address).toList(), "FAILED", reply);
                refreshStatus(messageId, now);
            }
        });
        return bounced;
    }

    /** Held messages with their reason. */
    public List<HeldMessage> held() {
        return jdbc.sql("SELECT m.id, m.received_at, m.envelope_sender, m.subject, r.address, r.status_detail"
                        + " FROM mail_recipient r JOIN mail_message m ON m.id = r.message_id WHERE r.status = 'HELD'"
                        + " ORDER BY m.received_at, m.id, r.id")
                .query((rs, n) -> Map.entry(new HeldMessage(rs.getString("id"), instant(rs, "received_at"),
                        rs.getString("envelope_sender"), rs.getString("subject"), List.of(), rs.getString("status_detail")),
                        rs.getString("address")))
                .list().stream()
                .collect(Collectors.groupingBy(en -> en.getKey().messageId(), java.util.LinkedHashMap::new, Collectors.toList()))
                .values().stream()
                .map(list -> {
                    HeldMessage first = list.get(0).getKey();
                    return new HeldMessage(first.messageId(), first.receivedAt(), first.sender(), first.subject(),
                            list.stream().map(Map.Entry::getValue).toList(), first.reason());
                })
                .toList();
    }

    /** Releases the held recipients of a message for delivery now; returns how many. */
    public int release(String messageId, Instant now) {
        int n = jdbc.sql("UPDATE mail_recipient SET status = 'PENDING', status_detail = 'released by admin', next_attempt_at = ?"
                        + " WHERE message_id = ? AND status = 'HELD'")
                .params(ts(now), messageId).update();
        refreshStatus(messageId, now);
        return n;
    }

    /** Deletes the held recipients of a message; returns the spool files no longer needed. */
    public List<String> deleteHeld(String messageId, Instant now) {
        List<String> files = jdbc.sql("SELECT DISTINCT content_file FROM mail_recipient WHERE message_id = ? AND status = 'HELD'")
                .param(messageId).query(String.class).list();
        int n = jdbc.sql("UPDATE mail_recipient SET status = 'DELETED', status_detail = 'deleted by admin', finished_at = ?"
                        + " WHERE message_id = ? AND status = 'HELD'")
                .params(ts(now), messageId).update();
        if (n == 0) {
            return null;
        }
        refreshStatus(messageId, now);
        return files.stream().filter(f -> !isContentNeeded(f)).toList();
    }

    /** Every spool file an unfinished recipient refers to. */
    /** Points every row that names content {@code from} at {@code to} (the spool's upgrade in place); returns how many. */
    public int repointContent(String from, String to) {
        return jdbc.sql("UPDATE mail_recipient SET content_file = ? WHERE content_file = ?").params(to, from).update();
    }

    public java.util.Set<String> contentInUse() {
        return new java.util.HashSet<>(jdbc.sql("SELECT DISTINCT content_file FROM mail_recipient WHERE status IN ('PENDING', 'HELD')")
                .query(String.class).list());
    }

    /** Held recipients whose reason starts with the prefix, oldest message first. */
    public List<HeldRecipient> heldWithReason(String reasonPrefix) {
        return jdbc.sql("SELECT r.id, r.message_id, m.received_at, m.envelope_sender, m.dsn_ret, m.dsn_envid, m.client_address,"
                        + " m.direction, m.subject, r.address, r.notify, r.orcpt, r.content_file, r.status_detail, m.crypto_operations"
                        + " FROM mail_recipient r JOIN mail_message m ON m.id = r.message_id"
                        + " WHERE r.status = 'HELD' AND r.status_detail LIKE ? ORDER BY m.received_at, m.id, r.id")
                .param(reasonPrefix.replace("%", "\\%").replace("_", "\\_") + "%")
                .query((rs, n) -> new HeldRecipient(rs.getLong(1), rs.getString(2), instant(rs, "received_at"), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), Direction.valueOf(rs.getString(8)), rs.getString(9),
                        rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15)))
                .list();
    }

    /**
     * Settles held recipients after their message was processed again (a certificate arrived, or
     * the hold timed out): each gets new content, status and detail; a recipient no longer held
     * is due now. Replaces the message's crypto operations. Rows that are no longer HELD (an admin
     * released or deleted them meanwhile) stay as they are. Returns how many were settled.
     */
    public int settleHeld(String messageId, List<NewMessage.Recipient> recipients, String cryptoOperations, Instant now) {
        Integer settled = transactions.execute(status -> {
            int n = 0;
            for (NewMessage.Recipient r : recipients) {
                boolean finished = r.status() != RecipientStatus.PENDING && r.status() != RecipientStatus.HELD;
                n += jdbc.sql("UPDATE mail_recipient SET content_file = ?, status = ?, status_detail = ?, next_attempt_at = ?,"
                                + " finished_at = ? WHERE message_id = ? AND LOWER(address) = LOWER(?) AND status = 'HELD'")
                        .params(r.contentFile(), r.status().name(), cut(r.detail(), 1000), ts(now), finished ? ts(now) : null,
                                messageId, r.address())
                        .update();
            }
            jdbc.sql("UPDATE mail_message SET crypto_operations = ? WHERE id = ?").params(cryptoOperations, messageId).update();
            return n;
        });
        refreshStatus(messageId, now);
        return settled == null ? 0 : settled;
    }

    private static ClaimedRecipient claimed(ResultSet rs, int row) throws SQLException {
        return new ClaimedRecipient(rs.getLong("id"), rs.getString("message_id"), rs.getString("address"),
                rs.getString("notify"), rs.getString("orcpt"), rs.getString("next_hop"), rs.getString("content_file"),
                rs.getInt("attempts"), rs.getString("envelope_sender"), rs.getString("dsn_ret"), rs.getString("dsn_envid"),
                instant(rs, "received_at"), Direction.valueOf(rs.getString("direction")), rs.getString("subject"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
