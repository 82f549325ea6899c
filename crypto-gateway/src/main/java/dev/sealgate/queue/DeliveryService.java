package dev.sealgate.queue;

import dev.sealgate.blob.BlobIntegrityException;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.tracking.MessageReference;
import dev.sealgate.tracking.MessageStatus;
import dev.sealgate.tracking.RecipientStatus;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery workers: claim due recipients, deliver them per next hop over reused connections,
 * retry with exponential backoff on 4xx and unreachable hosts, bounce on 5xx and after the
 * maximum age, send "relayed" notices where the next hop lacks DSN. Runs on its own threads; a
 * restart (or another node, once the lease expired) takes up whatever was left unfinished.
 */
public final class DeliveryService {

    private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);

    private final QueueRepository queue;
    private final Spool spool;
    private final NextHopResolver resolver;
    private final Notices notices;
    private final DeliverySettings settings;
    private final Clock clock;
    private final EventLog events;
    private final Object wake = new Object();
    private volatile boolean running;
    private volatile boolean wakeRequested;
    /** Set when the queue in the database may hold due mail that the next poll should not wait for. */
    private volatile boolean queueMayHaveWork = true;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Recipients the intake reserved room for, or handed over, that no worker has taken yet. */
    private final AtomicInteger handedOver = new AtomicInteger();
    /** Handed-over claims not yet given to a worker, in arrival order; guarded by itself. */
    private final java.util.ArrayDeque<ClaimedRecipient> ready = new java.util.ArrayDeque<>();
    private Thread dispatcher;
    private ExecutorService workers;

    public DeliveryService(QueueRepository queue, Spool spool, NextHopResolver resolver, Notices notices,
                           DeliverySettings settings, Clock clock, EventLog events) {
        this.queue = queue;
        this.spool = spool;
        this.resolver = resolver;
        this.notices = notices;
        this.settings = settings;
        this.clock = clock;
        this.events = events;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        int released = queue.releaseClaims(settings.nodeId());
        if (released > 0) {
            log.info("Took up {} unfinished deliveries of this node from before its restart", released);
        }
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(settings.workers(), r -> {
            Thread t = new Thread(r, "sealgate-delivery-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        running = true;
        dispatcher = new Thread(this::dispatch, "sealgate-delivery-dispatcher");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    public synchronized void stop() {
        running = false;
        if (dispatcher == null) {
            return;
        }
        wakeUp();
        try {
            dispatcher.join(settings.connectTimeout().toMillis() * 2 + 5000);
            workers.shutdown();
            workers.awaitTermination(settings.connectTimeout().toMillis() * 2 + 5000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        dispatcher = null;
    }

    /** This node's name in queue claims. */
    public String nodeId() {
        return settings.nodeId();
    }

    /** How long a claim holds. */
    public Duration lease() {
        return settings.lease();
    }

    public boolean isRunning() {
        return running;
    }

    /** Tells the workers that new mail is due in the queue, so that they do not wait for the next poll. */
    public void wakeUp() {
        queueMayHaveWork = true;
        wake();
    }

    private void wake() {
        synchronized (wake) {
            wakeRequested = true;
            wake.notifyAll();
        }
    }

    /**
     * How many recipients may wait in memory for a worker, handed over by the intake: enough for
     * every worker to fill two connections, few enough that they are delivered long before their
     * lease ends. Beyond it the intake queues unclaimed and the poller finds them.
     */
    public int handOverLimit() {
        return Math.max(1, settings.workers() * settings.messagesPerConnection() * 2);
    }

    /**
     * Reserves room for {@code recipients} claims the intake is about to commit; false when the
     * workers are behind (or stopped), and the intake then queues the recipients unclaimed.
     * Every true must be followed by {@link #handOver} or {@link #cancel} with the same number.
     */
    public boolean reserve(int recipients) {
        if (!running || recipients <= 0) {
            return false;
        }
        if (handedOver.addAndGet(recipients) > handOverLimit()) {
            handedOver.addAndGet(-recipients);
            return false;
        }
        return true;
    }

    /** Gives back a reservation whose commit failed. */
    public void cancel(int recipients) {
        handedOver.addAndGet(-recipients);
    }

    /**
     * Takes recipients the intake committed already claimed by this node (ADR 0150): the workers
     * deliver them without a poll or a claiming statement. {@code reserved} is what {@link #reserve}
     * granted; the claims may be fewer (recipients refused or held are not claimed).
     */
    public void handOver(List<ClaimedRecipient> claims, int reserved) {
        synchronized (ready) {
            ready.addAll(claims);
        }
        handedOver.addAndGet(claims.size() - reserved);
        wake();
    }

    /**
     * Takes up to {@code max} handed-over transactions (recipients of one message and content) for
     * the next hop, or for any when it is null; the others stay in their order.
     */
    private List<List<ClaimedRecipient>> takeReady(String nextHop, int max) {
        List<ClaimedRecipient> taken = new ArrayList<>();
        synchronized (ready) {
            if (ready.isEmpty()) {
                return List.of();
            }
            java.util.Set<String> keys = new java.util.HashSet<>();
            for (java.util.Iterator<ClaimedRecipient> it = ready.iterator(); it.hasNext(); ) {
                ClaimedRecipient r = it.next();
                if (nextHop != null && !nextHop.equals(r.nextHop())) {
                    continue;
                }
                String key = r.messageId() + "/" + r.contentFile();
                if (!keys.contains(key) && keys.size() >= max) {
                    continue;
                }
                keys.add(key);
                taken.add(r);
                it.remove();
            }
        }
        handedOver.addAndGet(-taken.size());
        return new ArrayList<>(taken.stream()
                .collect(Collectors.groupingBy(r -> r.messageId() + "/" + r.contentFile(), LinkedHashMap::new, Collectors.toList()))
                .values());
    }

    private void dispatch() {
        long lastPoll = 0;
        long lastDelayCheck = 0;
        while (running) {
            boolean claimedSome = false;
            long now = System.nanoTime();
            try {
                if (inFlight.get() < settings.workers()) {
                    claimedSome = submitHandedOver();
                    // the queue in the database: at each poll interval, and at once when mail went in
                    // unclaimed or the last poll found some (a worker that finished wakes us often; with
                    // mail handed over, most of those wake-ups have nothing to claim)
                    if (queueMayHaveWork || now - lastPoll >= settings.pollInterval().toNanos()) {
                        queueMayHaveWork = false;
                        lastPoll = now;
                        if (claimAndSubmit()) {
                            claimedSome = true;
                            queueMayHaveWork = true;
                        }
                    }
                }
            } catch (RuntimeException e) {
                if (running) {
                    log.error("Claiming due deliveries failed; retrying after the poll interval", e);
                }
            }
            if (now - lastDelayCheck >= settings.pollInterval().toNanos()) {
                lastDelayCheck = now;
                sendDelayNotices();
            }
            if (claimedSome) {
                continue;
            }
            synchronized (wake) {
                if (!wakeRequested && running) {
                    try {
                        wake.wait(settings.pollInterval().toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                wakeRequested = false;
            }
        }
    }

    /**
     * Claims due recipients and hands them to the workers, one task per next hop and connection.
     * Does not wait for them: a slow or unreachable next hop occupies one worker, not the queue.
     * Claims only while a worker is free, so that claimed work never waits long enough for its
     * lease to run out. Returns whether anything was claimed.
     */
    boolean claimAndSubmit() {
        List<ClaimedRecipient> claimed = queue.claimDue(settings.nodeId(), clock.instant(), settings.lease(),
                settings.batchSize());
        if (claimed.isEmpty()) {
            return false;
        }
        submit(claimed);
        return true;
    }

    /** Hands the recipients the intake committed claimed to the workers, like claimed ones. */
    private boolean submitHandedOver() {
        List<ClaimedRecipient> claims = takeReady(null, Integer.MAX_VALUE).stream().flatMap(List::stream).toList();
        if (claims.isEmpty()) {
            return false;
        }
        submit(claims);
        return true;
    }

    private void submit(List<ClaimedRecipient> claimed) {
        Map<String, List<ClaimedRecipient>> byHop = claimed.stream()
                .collect(Collectors.groupingBy(ClaimedRecipient::nextHop, LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, List<ClaimedRecipient>> hop : byHop.entrySet()) {
            List<List<ClaimedRecipient>> transactions = new ArrayList<>(hop.getValue().stream()
                    .collect(Collectors.groupingBy(r -> r.messageId() + "/" + r.contentFile(), LinkedHashMap::new, Collectors.toList()))
                    .values());
            int perConnection = Math.max(1, Math.min(settings.messagesPerConnection(),
                    (transactions.size() + settings.workers() - 1) / settings.workers()));
            for (int i = 0; i < transactions.size(); i += perConnection) {
                List<List<ClaimedRecipient>> chunk = transactions.subList(i, Math.min(transactions.size(), i + perConnection));
                inFlight.incrementAndGet();
                workers.execute(() -> {
                    try {
                        deliver(hop.getKey(), chunk);
                    } catch (RuntimeException e) {
                        log.error("Delivery to {} failed; the claims expire and the recipients are retried", hop.getKey(), e);
                    } finally {
                        inFlight.decrementAndGet();
                        wake();
                    }
                });
            }
        }
    }

    private void deliver(String nextHop, List<List<ClaimedRecipient>> claimedTransactions) {
        // grows: a connection that is open takes up handed-over mail for its next hop as it arrives
        List<List<ClaimedRecipient>> transactions = new ArrayList<>(claimedTransactions);
        List<NextHopResolver.Host> hosts;
        try {
            hosts = resolver.resolve(nextHop);
        } catch (NextHopResolver.UnresolvableException e) {
            transactions.forEach(t -> outcome(nextHop, null, t, replies(t, e.permanent() ? 550 : 451, e.getMessage()), false));
            return;
        }
        NextHopConnection connection = null;
        String host = null;
        String lastError = null;
        for (NextHopResolver.Host h : hosts) {
            try {
                connection = NextHopConnection.open(h.name(), h.port(), settings.heloName(), requiresTls(nextHop, h),
                        (int) settings.connectTimeout().toMillis());
                host = h.toString();
                break;
            } catch (MessagingException e) {
                lastError = "451 4.4.1 connection to " + h + " failed: " + rootMessage(e);
            }
        }
        if (connection == null) {
            String reply = lastError;
            transactions.forEach(t -> outcome(nextHop, null, t, replies(t, 451, reply), false));
            return;
        }
        List<PendingOutcome> batch = new ArrayList<>();
        openOutcomes.set(batch);
        try {
            for (int i = 0; i < transactions.size() || i < settings.messagesPerConnection()
                    && transactions.addAll(takeReady(nextHop, settings.messagesPerConnection() - i)); i++) {
                List<ClaimedRecipient> t = transactions.get(i);
                ClaimedRecipient first = t.get(0);
                SpooledContent content;
                try {
                    content = spool.open(first.contentFile());
                } catch (IOException e) {
                    outcome(nextHop, host, t, replies(t, 451, "451 4.3.0 " + e.getMessage() + "; retrying"), false);
                    continue;
                }
                List<NextHopConnection.RecipientReply> replies;
                try {
                    replies = connection.send(first.sender(), first.ret(), first.envid(), t, content);
                } catch (java.nio.file.NoSuchFileException e) {
                    outcome(nextHop, host, t, replies(t, 451, "451 4.3.0 the body of message " + first.messageId()
                            + " is not in the blob store of this node (" + settings.nodeId() + "): nodes must share one"
                            + " blob store (sealgate.blob-store); retrying"), false);
                    abandon(nextHop, host, transactions.subList(i + 1, transactions.size()));
                    return;
                } catch (BlobIntegrityException e) {
                    events.error("queue", "The stored body of message " + first.messageId() + " is damaged; its delivery"
                            + " was broken off and the recipients failed", e.getMessage(), MessageReference.of(first.messageId(), null));
                    outcome(nextHop, host, t, replies(t, 554, "554 5.3.0 the message body was damaged in the gateway's"
                            + " storage and cannot be delivered"), false);
                    abandon(nextHop, host, transactions.subList(i + 1, transactions.size()));
                    return;
                } catch (MessagingException | IOException e) {
                    String reply = "451 4.4.2 connection to " + host + " broke during the transaction: " + rootMessage(e);
                    for (List<ClaimedRecipient> rest : transactions.subList(i, transactions.size())) {
                        outcome(nextHop, host, rest, replies(rest, 451, reply), false);
                    }
                    return;
                }
                outcome(nextHop, host, t, replies, connection.offersDsn());
                if (batch.size() >= OUTCOME_BATCH) {
                    flushOutcomes(batch);
                }
            }
        } finally {
            openOutcomes.remove();
            try {
                connection.close();
            } catch (MessagingException e) {
                log.debug("Closing the connection to {} failed", host, e);
            }
            flushOutcomes(batch);
        }
    }

    /** Outcomes of one connection recorded together, at most this many at a time (ADR 0152). */
    static final int OUTCOME_BATCH = 16;

    /** One transaction's outcome waiting to be recorded with the next ones of the same connection. */
    private record PendingOutcome(String nextHop, String host, List<ClaimedRecipient> transaction,
                                  List<NextHopConnection.RecipientReply> replies, boolean nextHopOffersDsn) {
    }

    /** Set while a worker's connection collects its outcomes; outcomes outside it are recorded at once. */
    private final ThreadLocal<List<PendingOutcome>> openOutcomes = new ThreadLocal<>();

    private void flushOutcomes(List<PendingOutcome> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<PendingOutcome> outcomes = List.copyOf(batch);
        batch.clear();
        boolean[] contentDone = new boolean[outcomes.size()];
        queue.recordOutcome(() -> {
            for (int i = 0; i < outcomes.size(); i++) {
                PendingOutcome o = outcomes.get(i);
                contentDone[i] = record(o.nextHop(), o.host(), o.transaction(), o.replies(), o.nextHopOffersDsn());
            }
        });
        for (int i = 0; i < outcomes.size(); i++) {
            if (contentDone[i]) {
                spool.delete(outcomes.get(i).transaction().get(0).contentFile());
            }
        }
    }

    /** The connection is mid-DATA and unusable: the transactions not tried yet are retried later. */
    private void abandon(String nextHop, String host, List<List<ClaimedRecipient>> rest) {
        String reply = "451 4.4.2 connection to " + host + " abandoned after a failed transaction; retrying";
        rest.forEach(t -> outcome(nextHop, host, t, replies(t, 451, reply), false));
    }

    private boolean requiresTls(String nextHop, NextHopResolver.Host host) {
        String domain = nextHop.startsWith(Routing.MX_PREFIX) ? nextHop.substring(Routing.MX_PREFIX.length()) : host.name();
        return settings.requireTlsDomains().contains(domain.toLowerCase(Locale.ROOT));
    }

    private static List<NextHopConnection.RecipientReply> replies(List<ClaimedRecipient> t, int code, String reply) {
        return t.stream().map(r -> new NextHopConnection.RecipientReply(r.address(), code, reply)).toList();
    }

    /**
     * Records what the next hop said for each recipient of one transaction and acts on it, in one
     * database transaction (shared with other workers' outcomes of the same moment).
     */
    private void outcome(String nextHop, String host, List<ClaimedRecipient> transaction,
                         List<NextHopConnection.RecipientReply> replies, boolean nextHopOffersDsn) {
        List<PendingOutcome> batch = openOutcomes.get();
        if (batch != null) {
            batch.add(new PendingOutcome(nextHop, host, transaction, replies, nextHopOffersDsn));
            return;
        }
        ClaimedRecipient first = transaction.get(0);
        boolean[] contentDone = new boolean[1];
        queue.recordOutcome(() -> contentDone[0] = record(nextHop, host, transaction, replies, nextHopOffersDsn));
        if (contentDone[0]) {
            spool.delete(first.contentFile());
        }
    }

    private boolean record(String nextHop, String host, List<ClaimedRecipient> transaction,
                           List<NextHopConnection.RecipientReply> replies, boolean nextHopOffersDsn) {
        Instant now = clock.instant();
        ClaimedRecipient first = transaction.get(0);
        Map<String, NextHopConnection.RecipientReply> byAddress = new LinkedHashMap<>();
        replies.forEach(r -> byAddress.put(r.address(), r));
        List<Notices.Entry> failures = new ArrayList<>();
        List<Notices.Entry> relayed = new ArrayList<>();
        List<MessageStatus.RecipientState> states = new ArrayList<>();
        for (ClaimedRecipient r : transaction) {
            NextHopConnection.RecipientReply reply = byAddress.get(r.address());
            String text = reply.text();
            boolean finished = true;
            if (reply.accepted()) {
                queue.delivered(r.id(), text, now);
                if (!nextHopOffersDsn && r.asEnvelopeRecipient().wantsNotice("SUCCESS")) {
                    relayed.add(new Notices.Entry(r.address(), r.orcpt(), "relayed", "2.0.0", host, text));
                }
            } else if (reply.permanent()) {
                queue.failed(r.id(), text, now);
                if (r.asEnvelopeRecipient().wantsNotice("FAILURE")) {
                    failures.add(new Notices.Entry(r.address(), r.orcpt(), "failed", Notices.statusOf(text), host, text));
                }
            } else if (r.receivedAt().plus(settings.maxAge()).isBefore(now)) {
                String gaveUp = text + " (gave up: not delivered within sealgate.queue.max-age " + settings.maxAge() + ")";
                queue.failed(r.id(), gaveUp, now);
                if (r.asEnvelopeRecipient().wantsNotice("FAILURE")) {
                    failures.add(new Notices.Entry(r.address(), r.orcpt(), "failed", "4.4.7", host, gaveUp));
                }
            } else {
                queue.retryLater(r.id(), text, now.plus(backoff(r.attempts())));
                finished = false;
            }
            states.add(new MessageStatus.RecipientState(!finished ? RecipientStatus.PENDING
                    : reply.accepted() ? RecipientStatus.DELIVERED : RecipientStatus.FAILED, r.attempts() + 1));
        }
        replies.stream().collect(Collectors.groupingBy(NextHopConnection.RecipientReply::text, LinkedHashMap::new, Collectors.toList()))
                .forEach((reply, rs) -> queue.recordAttempt(first.messageId(), now, host == null ? nextHop : host,
                        rs.stream().map(NextHopConnection.RecipientReply::address).toList(),
                        rs.get(0).accepted() ? "DELIVERED" : rs.get(0).permanent() ? "FAILED" : "DEFERRED", reply));
        sendNotices(first, failures, false);
        sendNotices(first, relayed, true);
        if (first.messageRows() > 0 && transaction.size() == first.messageRows()) {
            // this transaction holds every row of the message, and a spool file belongs to one message:
            // the status and whether the content is still needed follow from these outcomes alone
            queue.setStatus(first.messageId(), MessageStatus.of(states), now);
            return states.stream().noneMatch(st -> st.status() == RecipientStatus.PENDING);
        }
        queue.refreshStatus(first.messageId(), now);
        return !queue.isContentNeeded(first.contentFile());
    }

    /**
     * An admin's bounce of the waiting recipients of a message: they fail as if the next hop had
     * answered 550, and the sender gets the failure notice (RFC 3464, {@code Action: failed}) for
     * those that did not ask NOTIFY=NEVER. Returns how many recipients were bounced; 0 when none
     * was waiting (delivered, held, or being delivered right now).
     *
     * @param reason the admin's words, quoted in the notice; null for none
     */
    public int bounce(String messageId, String reason) {
        String reply = "550 5.0.0 Returned by the administrator of the gateway"
                + (reason == null || reason.isBlank() ? "" : ": " + reason.strip().replaceAll("[\\r\\n\\t]+", " "));
        Instant now = clock.instant();
        List<ClaimedRecipient> bounced = queue.bounceQueued(messageId, reply, now);
        if (bounced.isEmpty()) {
            return 0;
        }
        List<Notices.Entry> failures = bounced.stream().filter(r -> r.asEnvelopeRecipient().wantsNotice("FAILURE"))
                .map(r -> new Notices.Entry(r.address(), r.orcpt(), "failed", "5.0.0", null, reply)).toList();
        sendNotices(bounced.get(0), failures, false);
        bounced.stream().map(ClaimedRecipient::contentFile).distinct().filter(f -> !queue.isContentNeeded(f)).forEach(spool::delete);
        wakeUp();
        return bounced.size();
    }

    /** One delay notice per recipient that asked NOTIFY=DELAY and still waits after the delay warning time. */
    private void sendDelayNotices() {
        Duration after = settings.delayWarningTime();
        if (after == null || after.isZero() || after.isNegative()) {
            return;
        }
        try {
            Instant now = clock.instant();
            for (QueueRepository.DelayedRecipient d : queue.dueForDelayNotice(now.minus(after), settings.batchSize())) {
                ClaimedRecipient r = d.recipient();
                if (!queue.markDelayNoticeSent(r.id(), now)) {
                    continue;
                }
                Notices.Entry entry = new Notices.Entry(r.address(), r.orcpt(), "delayed", "4.4.7", null,
                        d.lastReply() == null ? "not yet delivered; still trying" : d.lastReply());
                NewMessage notice = notices.buildDelay(r.messageId(), r.sender(), r.envid(), r.receivedAt(), r.subject(),
                        List.of(entry), spool.open(r.contentFile()), r.receivedAt().plus(settings.maxAge()));
                if (notice != null) {
                    queue.enqueue(List.of(notice));
                    queueMayHaveWork = true;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                log.error("Sending delay notices failed; trying again after the poll interval", e);
            }
        }
    }

    private void sendNotices(ClaimedRecipient message, List<Notices.Entry> entries, boolean relayed) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            NewMessage notice = notices.build(message.messageId(), message.sender(), message.ret(), message.envid(),
                    message.receivedAt(), message.subject(), entries, spool.open(message.contentFile()), relayed);
            if (notice != null) {
                queue.enqueue(List.of(notice));
                queueMayHaveWork = true;
            }
        } catch (IOException e) {
            events.error("queue", "Could not create the delivery status notification for message " + message.messageId()
                    + " to " + message.sender(), e.getMessage(), MessageReference.of(message.messageId(), null));
        }
    }

    Duration backoff(int attempts) {
        long initial = settings.retryInitial().toMillis();
        long max = settings.retryMax().toMillis();
        long delay = initial << Math.min(attempts, 20);
        return Duration.ofMillis(Math.min(Math.max(delay, initial), max));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return e == t ? m : e.getMessage() + " (" + m + ")";
    }
}
