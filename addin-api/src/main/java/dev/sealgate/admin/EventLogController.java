package dev.sealgate.admin;

import dev.sealgate.tracking.Event;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.tracking.EventQuery;
import dev.sealgate.tracking.Severity;
import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The event log for admins: warnings and errors with time, source, message and details. */
@RestController
@RequestMapping("/api/v1/admin/events")
class EventLogController {

    private final EventLog eventLog;

    EventLogController(EventLog eventLog) {
        this.eventLog = eventLog;
    }

    @GetMapping
    @Operation(summary = "Search the event log, newest (last occurrence) first",
            description = "Identical events within the aggregation window are one entry with occurrences counted;"
                    + " events of a standing condition (e.g. no own domains) carry resolvedAt once the cause is gone."
                    + " unresolved=true shows only what still needs attention. message= gives the events raised for one message,"
                    + " by its tracking id or its Message-ID (with or without angle brackets); such events carry trackingId and"
                    + " messageId, and an event of one message is never counted together with another message's.")
    Mono<List<Event>> find(@RequestParam(required = false) Instant from,
                           @RequestParam(required = false) Instant to,
                           @RequestParam(required = false) Severity severity,
                           @RequestParam(required = false) String source,
                           @RequestParam(defaultValue = "100") int limit,
                           @RequestParam(required = false) Boolean unresolved,
                           @RequestParam(required = false) String message) {
        EventQuery query = new EventQuery(from, to, severity, source, limit, unresolved, message);
        return Blocking.call(() -> eventLog.find(query));
    }
}
