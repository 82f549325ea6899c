package dev.sealgate.files;

import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Large-file download links for admins: every user's links (owner, file, size, expiry, downloads)
 * and revoking one, e.g. a link that went to the wrong recipient. The add-in's own list
 * ({@code /api/v1/files/links}) shows a user only their own links.
 */
@RestController
@RequestMapping("/api/v1/admin/files/links")
class LinksAdminController {

    private final FileRepository repository;
    private final Clock clock;

    LinksAdminController(FileRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    @GetMapping
    @Operation(summary = "Download links of all users, newest first; owner and name filter by a part of the address or file"
            + " name, active=true leaves out revoked and expired links")
    Mono<List<FileRepository.AdminLink>> links(@RequestParam(required = false) String owner,
                                               @RequestParam(required = false) String name,
                                               @RequestParam(defaultValue = "false") boolean active,
                                               @RequestParam(defaultValue = "200") int limit) {
        return Blocking.call(() -> {
            if (limit < 1 || limit > 1000) {
                throw new IllegalArgumentException("parameter 'limit' must be between 1 and 1000, got " + limit);
            }
            return repository.links(owner, name, active, clock.instant(), limit);
        });
    }

    @PostMapping("/{id}/revoke")
    @Operation(summary = "Revoke a download link now: the portal refuses it from then on; the file goes when it expires")
    Mono<Map<String, String>> revoke(@PathVariable String id) {
        return Blocking.call(() -> {
            if (repository.revokeLink(id, clock.instant())) {
                return Map.of("revoked", id);
            }
            throw repository.linkExists(id)
                    ? new ResponseStatusException(HttpStatus.CONFLICT, "link " + id + " is revoked already")
                    : new ResponseStatusException(HttpStatus.NOT_FOUND, "no download link with id " + id
                            + ": see GET /api/v1/admin/files/links");
        });
    }
}
