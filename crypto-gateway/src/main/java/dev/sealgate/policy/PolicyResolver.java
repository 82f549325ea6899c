package dev.sealgate.policy;

import dev.sealgate.certs.MailAddress;
import java.util.List;
import java.util.Map;

/**
 * Resolves the crypto policy of an address: built-in defaults, overridden by the global policy,
 * by the address's domain, by the address itself. The same for own users and for partners.
 */
public class PolicyResolver {

    private final PolicyRepository repository;

    public PolicyResolver(PolicyRepository repository) {
        this.repository = repository;
    }

    /** One query for the three scopes: this runs for the sender and every recipient of every message. */
    public EffectivePolicy resolve(String address) {
        MailAddress parsed = MailAddress.parse(address);
        List<PolicyScope> scopes = List.of(PolicyScope.GLOBAL, PolicyScope.domain(parsed.domain()), PolicyScope.address(parsed.toString()));
        Map<String, CryptoPolicy> stored = repository.find(scopes);
        CryptoPolicy effective = CryptoPolicy.DEFAULTS;
        for (PolicyScope scope : scopes) {
            effective = effective.overriddenBy(stored.getOrDefault(scope.value(), CryptoPolicy.INHERIT));
        }
        return new EffectivePolicy(parsed.toString(), effective);
    }

    /** The policy of a scope after inheritance, for the admin API (an address or domain scope). */
    public CryptoPolicy resolve(PolicyScope scope) {
        CryptoPolicy global = CryptoPolicy.DEFAULTS.overriddenBy(repository.find(PolicyScope.GLOBAL).orElse(CryptoPolicy.INHERIT));
        return switch (scope.level()) {
            case GLOBAL -> global;
            case DOMAIN -> global.overriddenBy(repository.find(scope).orElse(CryptoPolicy.INHERIT));
            case ADDRESS -> resolve(scope.value()).settings();
        };
    }
}
