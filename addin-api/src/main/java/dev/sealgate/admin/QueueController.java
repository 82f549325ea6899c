package dev.sealgate.admin;

import dev.sealgate.queue.DeliveryService;
import dev.sealgate.queue.HeldMessage;
import dev.sealgate.queue.NextHopQueue;
import dev.sealgate.queue.QueueRepository;
import dev.sealgate.queue.Spool;
import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
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

    QueueController(QueueRepository queue, Spool spool, DeliveryService delivery, Clock clock) {
        this.queue = queue;
        this.spool = spool;
        this.delivery = delivery;
        this.clock = clock;
    }

    @GetMapping("/queues")
    @Operation(summary = "Mail waiting for delivery, per next hop")
    Mono<List<NextHopQueue>> queues() {
        return Blocking.call(queue::queues);
    }

    @GetMapping("/held")
    @Operation(summary = "Mail held by policy, with the reason")
    Mono<List<HeldMessage>> held() {
        return Blocking.call(queue::held);
    }

    @PostMapping("/held/{id}/release")
    @Operation(summary = "Release a held message for delivery now")
    Mono<Map<String, Integer>> release(@PathVariable String id) {
        return Blocking.call(() -> {
            int released = queue.release(id, clock.instant());
            if (released == 0) {
                throw notHeld(id);
            }
            delivery.wakeUp();
            return Map.of("released", released);
        });
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
