package dev.sealgate.enrollment;

import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.springframework.http.HttpStatus;
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

/** The enrollment log, and enrolling an address on demand. */
@RestController
@RequestMapping("/api/v1/admin/enrollments")
class EnrollmentAdminController {

    private final EnrollmentLog log;
    private final EnrollmentService service;

    EnrollmentAdminController(EnrollmentLog log, EnrollmentService service) {
        this.log = log;
        this.service = service;
    }

    @GetMapping
    @Operation(summary = "Enrollment requests, newest first; filter by address, status (Pending, Succeeded, Failed) "
            + "and type (CertificateRequest, Renewal, Revocation)")
    Mono<List<EnrollmentView>> find(@RequestParam(required = false) String address,
                                    @RequestParam(required = false) String status,
                                    @RequestParam(required = false) String type,
                                    @RequestParam(defaultValue = "100") int limit) {
        EnrollmentQuery query = new EnrollmentQuery(address,
                status == null ? null : RequestStatus.parse(status),
                type == null ? null : RequestType.parse(type), limit);
        return Blocking.call(() -> log.find(query).stream().map(EnrollmentView::of).toList());
    }

    /** @param address whom to enroll a certificate for (its provider by sealgate.enrollment.providers) */
    record EnrollRequest(String address) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Send a certificate request for an address now")
    Mono<EnrollmentView> enroll(@RequestBody EnrollRequest request) {
        return Blocking.call(() -> EnrollmentView.of(service.enroll(request.address(), RequestType.CERTIFICATE_REQUEST)));
    }

    @PostMapping("/{id}/retry")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Send a failed certificate request or renewal again now, as a new request for the same address",
            description = "The failed request stays in the log as it was; the answer is the new request. Only failed requests"
                    + " can be retried (409 otherwise); a failed revocation is retried by revoking the certificate again.")
    Mono<EnrollmentView> retry(@PathVariable String id) {
        return Blocking.call(() -> {
            EnrollmentRecord failed = log.get(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                    "no enrollment request with id " + id + ": see GET /api/v1/admin/enrollments"));
            if (failed.requestStatus() != RequestStatus.FAILED) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, "enrollment request " + id + " is "
                        + failed.requestStatus().label() + ", not Failed: only a failed request can be retried");
            }
            if (failed.requestType() == RequestType.REVOCATION) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, "enrollment request " + id + " is a revocation:"
                        + " revoke the certificate again (POST /api/v1/admin/certificates/{id}/revoke)");
            }
            return EnrollmentView.of(service.enroll(failed.address(), failed.requestType()));
        });
    }
}
