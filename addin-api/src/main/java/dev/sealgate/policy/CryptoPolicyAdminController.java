package dev.sealgate.policy;

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
 * Crypto policies per scope: {@code global}, a domain, or an address. A stored policy's null fields
 * inherit; {@code effective} shows the result of inheritance.
 */
@RestController
@RequestMapping("/api/v1/admin/policies")
class CryptoPolicyAdminController {

    private final PolicyRepository repository;
    private final PolicyResolver resolver;

    CryptoPolicyAdminController(PolicyRepository repository, PolicyResolver resolver) {
        this.repository = repository;
        this.resolver = resolver;
    }

    /**
     * @param stored    what is set at this scope (null fields inherit); null when nothing is set
     * @param effective what applies after inheritance
     */
    record ScopedPolicy(String scope, CryptoPolicy stored, CryptoPolicy effective) {
    }

    @GetMapping
    @Operation(summary = "Every stored crypto policy by scope, global first")
    Mono<Map<String, CryptoPolicy>> all() {
        return Blocking.call(repository::all);
    }

    @GetMapping("/{scope}")
    @Operation(summary = "The crypto policy of a scope (global, a domain, an address): stored and effective")
    Mono<ScopedPolicy> get(@PathVariable String scope) {
        PolicyScope parsed = PolicyScope.parse(scope);
        return Blocking.call(() -> new ScopedPolicy(parsed.value(), repository.find(parsed).orElse(null), resolver.resolve(parsed)));
    }

    @PutMapping("/{scope}")
    @Operation(summary = "Replace the crypto policy of a scope; fields left out inherit")
    Mono<ScopedPolicy> put(@PathVariable String scope, @RequestBody CryptoPolicy policy) {
        PolicyScope parsed = PolicyScope.parse(scope);
        return Blocking.call(() -> {
            repository.save(parsed, policy);
            return new ScopedPolicy(parsed.value(), repository.find(parsed).orElseThrow(), resolver.resolve(parsed));
        });
    }

    @DeleteMapping("/{scope}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove the policy of a domain or address so it inherits everything")
    Mono<Void> delete(@PathVariable String scope) {
        PolicyScope parsed = PolicyScope.parse(scope);
        return Blocking.run(() -> {
            if (!repository.delete(parsed)) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no crypto policy stored for " + parsed.value());
            }
        });
    }
}
