package dev.sealgate.revocation;

import dev.sealgate.policy.PolicyScope;
import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * What an undetermined revocation status means per scope ({@code global}, a partner domain, an
 * address): {@code SOFT_FAIL} or {@code HARD_FAIL}. A scope without a setting inherits; global
 * inherits {@code sealgate.revocation.on-unknown}.
 */
@RestController
@RequestMapping("/api/v1/admin/revocation-policies")
class RevocationPolicyAdminController {

    private final RevocationPolicies policies;

    RevocationPolicyAdminController(RevocationPolicies policies) {
        this.policies = policies;
    }

    /**
     * @param onUnknown what is set at this scope; null when nothing is (it inherits)
     * @param effective what applies to the scope (for a domain: to an address of it without its own setting)
     */
    record ScopedRevocationPolicy(String scope, UnknownRevocation onUnknown, UnknownRevocation effective) {
    }

    /** The body of a change. */
    record RevocationPolicyRequest(UnknownRevocation onUnknown) {
    }

    @GetMapping
    @Operation(summary = "Every stored revocation policy by scope, global first")
    Mono<Map<String, UnknownRevocation>> all() {
        return Blocking.call(policies::all);
    }

    @GetMapping("/{scope}")
    @Operation(summary = "The revocation policy of a scope: stored and effective")
    Mono<ScopedRevocationPolicy> get(@PathVariable String scope) {
        PolicyScope parsed = PolicyScope.parse(scope);
        return Blocking.call(() -> scoped(parsed));
    }

    @PutMapping("/{scope}")
    @Operation(summary = "Set what an undetermined revocation status means for a scope: SOFT_FAIL or HARD_FAIL")
    Mono<ScopedRevocationPolicy> put(@PathVariable String scope, @RequestBody RevocationPolicyRequest request) {
        PolicyScope parsed = PolicyScope.parse(scope);
        if (request == null || request.onUnknown() == null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "onUnknown is required: SOFT_FAIL or HARD_FAIL");
        }
        return Blocking.call(() -> {
            policies.save(parsed, request.onUnknown());
            return scoped(parsed);
        });
    }

    @DeleteMapping("/{scope}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove the revocation policy of a scope so it inherits")
    Mono<Void> delete(@PathVariable String scope) {
        PolicyScope parsed = PolicyScope.parse(scope);
        return Blocking.run(() -> {
            if (!policies.delete(parsed)) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no revocation policy stored for " + parsed.value());
            }
        });
    }

    private ScopedRevocationPolicy scoped(PolicyScope scope) {
        String probe = switch (scope.level()) {
            case GLOBAL -> null;
            case DOMAIN -> "postmaster@" + scope.value();
            case ADDRESS -> scope.value();
        };
        return new ScopedRevocationPolicy(scope.value(), policies.find(scope).orElse(null), policies.forAddress(probe));
    }
}
