package dev.sealgate.security;

import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
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

/**
 * Who is calling ({@code /me}), the named API keys, and the audit trail. Who may call each route is
 * decided in {@link SecurityConfiguration}, not here.
 */
@RestController
@RequestMapping("/api/v1/admin")
class AdminIdentityController {

    /** The caller as the console shows it. */
    record Me(String name, List<String> roles, String signIn) {
    }

    /** A request for a new named key. */
    record NewApiKey(String name, String role) {
    }

    /** A new key: {@code key} is shown this once and never again. */
    record CreatedApiKey(String id, String name, String role, Instant createdAt, String key) {
    }

    record ApiKeyView(String id, String name, String role, Instant createdAt, String createdBy, Instant revokedAt) {
    }

    private final ApiKeyStore apiKeys;
    private final AuditLog audit;

    AdminIdentityController(ApiKeyStore apiKeys, AuditLog audit) {
        this.apiKeys = apiKeys;
        this.audit = audit;
    }

    @GetMapping("/me")
    @Operation(summary = "The signed-in identity: name, roles and how it signed in")
    Mono<Me> me(Authentication authentication) {
        return Mono.just(new Me(SignIn.actor(authentication), SignIn.roles(authentication), SignIn.method(authentication)));
    }

    @PostMapping("/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a named API key with a role; the key is in this answer only")
    Mono<CreatedApiKey> create(@RequestBody NewApiKey request, Authentication authentication) {
        AdminRole role = AdminRole.parse(request.role());
        return Blocking.call(() -> apiKeys.create(request.name(), role, SignIn.actor(authentication)))
                .map(created -> new CreatedApiKey(created.key().id(), created.key().name(), role.value(),
                        created.key().createdAt(), created.secret()));
    }

    @GetMapping("/api-keys")
    @Operation(summary = "The named API keys, active and revoked, without the keys themselves")
    Mono<List<ApiKeyView>> list() {
        return Blocking.call(() -> apiKeys.list().stream()
                .map(k -> new ApiKeyView(k.id(), k.name(), k.role().value(), k.createdAt(), k.createdBy(), k.revokedAt()))
                .toList());
    }

    @DeleteMapping("/api-keys/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke a named API key; calls with it are refused from now on")
    Mono<Void> revoke(@PathVariable String id) {
        return Blocking.call(() -> apiKeys.revoke(id)).flatMap(revoked -> revoked ? Mono.empty()
                : Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no active API key with id " + id + ": see GET /api/v1/admin/api-keys")));
    }

    @GetMapping("/audit")
    @Operation(summary = "The audit trail of changes through the admin API, newest first")
    Mono<List<AuditLog.Entry>> audit(@RequestParam(required = false) String actor,
                                     @RequestParam(required = false) String method,
                                     @RequestParam(required = false) String outcome,
                                     @RequestParam(required = false) Instant from,
                                     @RequestParam(required = false) Instant to,
                                     @RequestParam(defaultValue = "100") int limit,
                                     @RequestParam(defaultValue = "0") int offset) {
        AuditLog.Query query = new AuditLog.Query(actor, method, outcome, from, to, limit, offset);
        return Blocking.call(() -> audit.find(query));
    }
}
