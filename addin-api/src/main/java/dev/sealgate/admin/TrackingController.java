package dev.sealgate.admin;

import dev.sealgate.security.ContentAccess;
import dev.sealgate.tracking.MessageStatus;
import dev.sealgate.tracking.TrackingQuery;
import dev.sealgate.tracking.TrackingRecord;
import dev.sealgate.tracking.TrackingRepository;
import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** Message tracking for admins: search, one record in full, and its export for support. */
@RestController
@RequestMapping("/api/v1/admin/tracking")
class TrackingController {

    private final TrackingRepository tracking;

    TrackingController(TrackingRepository tracking) {
        this.tracking = tracking;
    }

    @GetMapping
    @Operation(summary = "Search message tracking, newest first",
            description = "sender, recipient and subject match a part (case-insensitive); messageId is the Message-ID header,"
                    + " whole, with or without its angle brackets")
    Mono<List<TrackingRecord.Summary>> search(@RequestParam(required = false) String sender,
                                              @RequestParam(required = false) String recipient,
                                              @RequestParam(required = false) String subject,
                                              @RequestParam(required = false) String messageId,
                                              @RequestParam(required = false) Instant from,
                                              @RequestParam(required = false) Instant to,
                                              @RequestParam(required = false) MessageStatus status,
                                              @RequestParam(required = false) String direction,
                                              @RequestParam(defaultValue = "100") int limit) {
        Mono<List<TrackingRecord.Summary>> found = Blocking.call(() -> tracking.search(new TrackingQuery(sender, recipient, from, to,
                status, direction, limit, subject, messageId)));
        Mono<Void> allowed = subject == null || subject.isBlank() ? Mono.empty() : ContentAccess.requireContentAccess("a search by subject");
        return allowed.then(ContentAccess.redactEachFor(found, TrackingRecord.Summary::withoutSubject));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One message's tracking record with recipients and delivery attempts")
    Mono<TrackingRecord> find(@PathVariable String id) {
        return ContentAccess.redactFor(Blocking.call(() -> tracking.find(id).orElseThrow(() -> notFound(id))),
                TrackingRecord::withoutSubject);
    }

    @GetMapping("/{id}/export")
    @Operation(summary = "One message's tracking record as a JSON file, for support")
    Mono<ResponseEntity<TrackingRecord>> export(@PathVariable String id) {
        return ContentAccess.redactFor(Blocking.call(() -> tracking.find(id).orElseThrow(() -> notFound(id))),
                        TrackingRecord::withoutSubject)
                .map(record -> ResponseEntity.ok()
                        .contentType(MediaType.APPLICATION_JSON)
                        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                                .filename("sealgate-tracking-" + id.replaceAll("[^A-Za-z0-9-]", "_") + ".json").build().toString())
                        .body(record));
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no tracking record with id " + id
                + ": it may be older than sealgate.tracking.retention, or the id is mistyped");
    }
}
