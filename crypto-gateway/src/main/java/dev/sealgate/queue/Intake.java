package dev.sealgate.queue;

import dev.sealgate.pipeline.Delivery;
import dev.sealgate.pipeline.Pipeline;
import dev.sealgate.pipeline.PipelineMessage;
import dev.sealgate.pipeline.TrackingHandle;
import dev.sealgate.smtp.Envelope;
import dev.sealgate.smtp.EnvelopeRecipient;
import dev.sealgate.smtp.MessageAcceptor;
import dev.sealgate.smtp.Replies;
import dev.sealgate.smtp.StrictDataInputStream;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.tracking.RecipientStatus;
import dev.sealgate.tracking.TrackingQuery;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.subethamail.smtp.RejectException;
import tools.jackson.databind.json.JsonMapper;

/**
 * From the end of DATA to "250": spool the message durably, run the pipeline, commit the queue
 * rows (with tracking data) for every delivery in one transaction. Only then does the SMTP session
 * answer "250"; any failure before makes it answer 4xx, and the client sends again.
 */
public final class Intake implements MessageAcceptor {

    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);
    /** Compiled once: it ran as {@code String.replaceAll} per message. */
    private static final Pattern NOT_VISIBLE = Pattern.compile("[^\\x21-\\x7e]");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Spool spool;
    private final Pipeline pipeline;
    private final QueueRepository queue;
    private final Routing routing;
    private final Notices notices;
    private final Clock clock;
    private final String hostName;
    private final EventLog events;
    private final Runnable newMail;
    private final DeliveryService delivery;

    /**
     * With the hand-over to this node's delivery workers: recipients go into the queue already
     * claimed by this node and straight to its workers after the durable commit (ADR 0150).
     */
    public Intake(Spool spool, Pipeline pipeline, QueueRepository queue, Routing routing, Notices notices, Clock clock,
                  String hostName, EventLog events, DeliveryService delivery) {
        this(spool, pipeline, queue, routing, notices, clock, hostName, events, delivery::wakeUp, delivery);
    }

    /**
     * Without a hand-over: the delivery workers find new mail by polling the queue.
     *
     * @param newMail called after each commit, to wake the delivery workers
     */
    public Intake(Spool spool, Pipeline pipeline, QueueRepository queue, Routing routing, Notices notices, Clock clock,
                  String hostName, EventLog events, Runnable newMail) {
        this(spool, pipeline, queue, routing, notices, clock, hostName, events, newMail, null);
    }

    private Intake(Spool spool, Pipeline pipeline, QueueRepository queue, Routing routing, Notices notices, Clock clock,
                   String hostName, EventLog events, Runnable newMail, DeliveryService delivery) {
        this.delivery = delivery;
        this.spool = spool;
        this.pipeline = pipeline;
        this.queue = queue;
        this.routing = routing;
        this.notices = notices;
        this.clock = clock;
        this.hostName = hostName;
        this.events = events;
        this.newMail = newMail;
    }

    @Override
    public String accept(Envelope envelope, InputStream content) throws IOException, RejectException {
        Instant receivedAt = clock.instant();
        String id = QueueIds.next(clock);
        byte[] received = receivedHeader(envelope, id, receivedAt).getBytes(StandardCharsets.UTF_8);
        SpooledContent original;
        try {
            original = spool.receive(id + ".eml", received, content);
        } catch (StrictDataInputStream.BareLineEndingException | StrictDataInputStream.RefusedDataException
                 | StrictDataInputStream.ClientReadException e) {
            throw e;
        } catch (IOException e) {
            events.error("queue", "Could not write a message from <" + envelope.sender() + "> to the spool; the client"
                    + " was asked to retry. Check free space and permissions of the data directory", e.toString());
            throw new RejectException(451, "4.3.0 Could not store the message, try again later");
        }
        PipelineMessage message = PipelineMessage.received(id, envelope, original, spool);
        try {
            pipeline.run(message);
        } catch (IOException | RuntimeException e) {
            deleteAll(message, original);
            if (!Failures.isTransient(e)) {
                // a defect or input the code cannot handle: a retry gives the same result, so 5xx (never 451 for ever)
                events.error("pipeline", "Processing message from <" + envelope.sender() + "> from " + envelope.clientAddress()
                        + " failed in a way a retry would not change; the message was refused with 554", e.toString(), message.reference());
                throw new RejectException(554, "5.3.0 The message could not be processed; the administrator of "
                        + hostName + " has the details (" + id + ")");
            }
            events.error("pipeline", "Processing message from <" + envelope.sender() + "> from " + envelope.clientAddress()
                    + " failed; the client was asked to retry", e.toString(), message.reference());
            throw new RejectException(451, "4.3.0 Message processing failed temporarily, try again later");
        } finally {
            message.close();
        }
        List<NewMessage.Recipient> rows = new ArrayList<>();
        for (Delivery d : message.deliveries()) {
            for (EnvelopeRecipient r : d.recipients()) {
                RecipientStatus status = d.holdReason() == null ? RecipientStatus.PENDING : RecipientStatus.HELD;
                rows.add(new NewMessage.Recipient(r.address(), r.dsnNotify(), r.orcpt(),
                        routing.nextHop(envelope.direction(), r.address()), d.content().reference(), status, d.holdReason()));
            }
        }
        List<Notices.Entry> failures = new ArrayList<>();
        message.rejected().forEach((address, reply) -> {
            EnvelopeRecipient r = envelope.recipients().stream().filter(x -> x.address().equalsIgnoreCase(address)).findFirst().orElseThrow();
            rows.add(new NewMessage.Recipient(r.address(), r.dsnNotify(), r.orcpt(), null, null, RecipientStatus.FAILED, reply));
            if (r.wantsNotice("FAILURE")) {
                failures.add(new Notices.Entry(r.address(), r.orcpt(), "failed", Notices.statusOf(reply), null, reply));
            }
        });
        NewMessage queued = new NewMessage(id, receivedAt, envelope, message.header("from"), message.header("subject"), original.size(),
                operations(message.tracking()), rows, TrackingQuery.normalMessageId(message.header("message-id")));
        List<NewMessage> batch = new ArrayList<>();
        batch.add(queued);
        boolean allRejected = message.deliveries().isEmpty();
        if (!allRejected && !failures.isEmpty()) {
            NewMessage notice = notices.build(id, envelope.sender(), envelope.ret(), envelope.envid(), receivedAt,
                    message.header("subject"), failures, original, false);
            if (notice != null) {
                batch.add(notice);
            }
        }
        try {
            // the bodies the rows will name, stored before the rows are committed (a replaced original never is)
            for (SpooledContent c : message.deliveries().stream().map(Delivery::content).distinct().toList()) {
                spool.persist(c);
            }
        } catch (IOException e) {
            deleteAll(message, original);
            batch.stream().skip(1).forEach(n -> n.recipients().forEach(r -> spool.delete(r.contentFile())));
            events.error("queue", "Could not write a message from <" + envelope.sender() + "> to the spool; the client"
                    + " was asked to retry. Check free space and permissions of the data directory", e.toString());
            throw new RejectException(451, "4.3.0 Could not store the message, try again later");
        }
        int pending = (int) batch.stream().flatMap(m -> m.recipients().stream())
                .filter(r -> r.status() == RecipientStatus.PENDING).count();
        boolean handOver = delivery != null && delivery.reserve(pending);
        List<ClaimedRecipient> claims = List.of();
        try {
            if (handOver) {
                claims = queue.enqueueClaimed(batch, delivery.nodeId(), clock.instant(), delivery.lease());
            } else {
                queue.enqueue(batch);
            }
        } catch (RuntimeException e) {
            if (handOver) {
                delivery.cancel(pending);
            }
            deleteAll(message, original);
            batch.stream().skip(1).forEach(n -> n.recipients().forEach(r -> spool.delete(r.contentFile())));
            if (!Failures.isTransient(e)) {
                events.error("queue", "Could not queue a message from <" + envelope.sender() + ">: the database refused its"
                        + " content, which a retry would not change; the message was refused with 554", e.toString(),
                        message.reference());
                throw new RejectException(554, "5.3.0 The message could not be stored; the administrator of "
                        + hostName + " has the details (" + id + ")");
            }
            events.error("queue", "Could not queue a message from <" + envelope.sender() + ">: the database refused the"
                    + " commit; the client was asked to retry", e.toString(), message.reference());
            throw new RejectException(451, "4.3.0 Could not store the message, try again later");
        }
        if (handOver) {
            delivery.handOver(claims, pending);
        }
        Set<String> inUse = message.deliveries().stream().map(d -> d.content().reference()).collect(Collectors.toSet());
        if (!inUse.contains(original.reference())) {
            spool.delete(original.reference());
        }
        if (allRejected) {
            String reply = Replies.clean(message.rejected().values().iterator().next());
            throw new RejectException(Integer.parseInt(reply.substring(0, 3)), reply.substring(4));
        }
        if (!handOver) {
            newMail.run();
        }
        return id;
    }

    private String receivedHeader(Envelope e, String id, Instant at) {
        String with = e.tlsProtocol() == null ? "ESMTP" : "ESMTPS";
        String tls = e.tlsProtocol() == null ? "" : "\r\n\t(using " + e.tlsProtocol() + " with cipher " + e.tlsCipher() + ")";
        String forRecipient = e.recipients().size() == 1 ? "\r\n\tfor <" + e.recipients().get(0).address() + ">" : "";
        String helo = e.helo() == null ? "unknown" : NOT_VISIBLE.matcher(e.helo()).replaceAll("?");
        return "Received: from " + helo + " ([" + e.clientAddress() + "])\r\n\tby " + hostName + " (Sealgate) with "
                + with + " id " + id + tls + forRecipient + ";\r\n\t" + RFC_5322.format(at.atZone(ZoneOffset.UTC)) + "\r\n";
    }

    private static String operations(TrackingHandle tracking) {
        if (tracking.operations().isEmpty()) {
            return null;
        }
        return JSON.writeValueAsString(tracking.operations());
    }

    private void deleteAll(PipelineMessage message, SpooledContent original) {
        spool.delete(original.reference());
        message.deliveries().forEach(d -> spool.delete(d.content().reference()));
    }
}
