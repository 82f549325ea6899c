package dev.sealgate.admin;

import dev.sealgate.pipeline.CertificateHolds;
import dev.sealgate.queue.DeliveryService;
import dev.sealgate.queue.HeldMessage;
import dev.sealgate.queue.NextHopQueue;
import dev.sealgate.queue.QueueRepository;
import dev.sealgate.queue.QueuedMessage;
import dev.sealgate.queue.Spool;
import dev.sealgate.security.ContentAccess;
import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** The mail queues per next hop and the held mails, for admins. */
@RestController
@RequestMapping("/api/v1/admin")
class QueueController {

    private final QueueRepository queue;
    private final Spool spool;
    private final DeliveryService delivery;
    private final Clock clock;

    private final ObjectProvider<CertificateHolds> cryptoHolds;

    QueueController(QueueRepository queue, Spool spool, DeliveryService delivery, Clock clock,
                    ObjectProvider<CertificateHolds> cryptoHolds) {
        this.queue = queue;
        this.spool = spool;
        this.delivery = delivery;
        this.clock = clock;
        this.cryptoHolds = cryptoHolds;
    }

    @GetMapping("/queues")
    @Operation(summary = "Mail waiting for delivery, per next hop")
    Mono<List<NextHopQueue>> queues() {
        return Blocking.call(queue::queues);
    }

    @GetMapping("/held")
    @Operation(summary = "Mail held by policy, with the reason")
    Mono<List<HeldMessage>> held() {
        return ContentAccess.redactEachFor(Blocking.call(queue::held), HeldMessage::withoutSubject);
    }

    @PostMapping("/held/{id}/release")
    @Operation(summary = "Release a held message for delivery now",
            description = "Mail held for a missing certificate is processed again under the current policy; if the policy"
                    + " still holds it, 'released' is 0 and 'reason' says why it is still held.")
    Mono<ReleaseResult> release(@PathVariable String id) {
        return Blocking.call(() -> {
            // mail the crypto step held is processed again under the current policy, never sent as it was held
            CertificateHolds holds = cryptoHolds.getIfAvailable();
            int reprocessed = holds == null ? -1 : holds.release(id);
            if (reprocessed >= 0) {
                return stillHeld(id, reprocessed);
            }
            int released = queue.release(id, clock.instant());
            if (released == 0) {
                throw notHeld(id);
            }
            delivery.wakeUp();
            return new ReleaseResult(released, 0, null);
        });
    }

    private ReleaseResult stillHeld(String id, int released) {
        return queue.held().stream().filter(h -> h.messageId().equals(id)).findFirst()
                .map(h -> new ReleaseResult(released, h.recipients().size(), "processed again and still held: " + h.reason()))
                .orElse(new ReleaseResult(released, 0, null));
    }

    /**
     * @param released  recipients on their way now
     * @param stillHeld recipients the current policy still holds
     * @param reason    why they are still held; absent when none is
     */
    record ReleaseResult(int released, int stillHeld, String reason) {
    }

    @GetMapping("/queues/messages")
    @Operation(summary = "Messages waiting for delivery (not held), oldest first, as postqueue -p lists them")
    Mono<List<QueuedMessage>> queued(@RequestParam(required = false) String nextHop,
                                     @RequestParam(defaultValue = "500") int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("parameter 'limit' must be between 1 and 10000, got " + limit);
        }
        return ContentAccess.redactEachFor(Blocking.call(() -> queue.queued(nextHop, limit)), QueuedMessage::withoutSubject);
    }

    @PostMapping("/queues/messages/{id}/retry")
    @Operation(summary = "Try the waiting recipients of a message now (postqueue -i)")
    Mono<Map<String, Integer>> retry(@PathVariable String id) {
        return Blocking.call(() -> {
            int due = queue.retryNow(id, clock.instant());
            if (due == 0) {
                throw notWaiting(id);
            }
            delivery.wakeUp();
            return Map.of("retried", due);
        });
    }

    /** @param reason why, in the admin's words; quoted in the failure notice to the sender (at most 200 characters) */
    record BounceRequest(String reason) {
    }

    @PostMapping("/queues/messages/{id}/bounce")
    @Operation(summary = "Return the waiting recipients of a message to the sender now (postsuper -r, then a bounce): they fail"
            + " as on a permanent error, and the sender gets a delivery status notification (RFC 3464) unless NOTIFY=NEVER")
    Mono<Map<String, Integer>> bounce(@PathVariable String id, @RequestBody(required = false) BounceRequest request) {
        return Blocking.call(() -> {
            String reason = request == null ? null : request.reason();
            if (reason != null && reason.length() > 200) {
                throw new IllegalArgumentException("'reason' must be at most 200 characters, got " + reason.length());
            }
            int bounced = delivery.bounce(id, reason);
            if (bounced == 0) {
                throw notWaiting(id);
            }
            return Map.of("bounced", bounced);
        });
    }

    @DeleteMapping("/queues/messages/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete the waiting recipients of a message without a bounce (postsuper -d); its tracking record"
            + " stays with status 'deleted by admin'")
    Mono<Void> deleteQueued(@PathVariable String id) {
        return Blocking.run(() -> {
            List<String> unused = queue.deleteQueued(id, clock.instant());
            if (unused == null) {
                throw notWaiting(id);
            }
            unused.forEach(spool::delete);
        });
    }

    private ResponseStatusException notWaiting(String id) {
        boolean underWay = queue.queued(null, Integer.MAX_VALUE).stream().anyMatch(q -> q.messageId().equals(id));
        return underWay
                ? new ResponseStatusException(HttpStatus.CONFLICT, "message " + id + " is being delivered right now: try again in a minute")
                : new ResponseStatusException(HttpStatus.NOT_FOUND, "message " + id + " has no recipient waiting for delivery:"
                        + " see GET /api/v1/admin/queues/messages, and /api/v1/admin/tracking for where it went");
    }

    @DeleteMapping("/held/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a held message; its tracking record stays with status 'deleted by admin'")
    Mono<Void> delete(@PathVariable String id) {
        return Blocking.run(() -> {
            List<String> unused = queue.deleteHeld(id, clock.instant());
            if (unused == null) {
                throw notHeld(id);
            }
            unused.forEach(spool::delete);
        });
    }

    private static ResponseStatusException notHeld(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "message " + id + " has no held recipients: see GET /api/v1/admin/held");
    }
}
