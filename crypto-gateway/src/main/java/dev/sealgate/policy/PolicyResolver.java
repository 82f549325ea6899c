package dev.sealgate.policy;

import dev.sealgate.certs.MailAddress;

/**
 * Resolves the crypto policy of an address: built-in defaults, overridden by the global policy,
 * by the address's domain, by the address itself. The same for own users and for partners.
 */
public class PolicyResolver {

    private final PolicyRepository repository;

    public PolicyResolver(PolicyRepository repository) {
        this.repository = repository;
    }

    public EffectivePolicy resolve(String address) {
        MailAddress parsed = MailAddress.parse(address);
        CryptoPolicy effective = CryptoPolicy.DEFAULTS
                .overriddenBy(repository.find(PolicyScope.GLOBAL).orElse(CryptoPolicy.INHERIT))
                .overriddenBy(repository.find(PolicyScope.domain(parsed.domain())).orElse(CryptoPolicy.INHERIT))
                .overriddenBy(repository.find(PolicyScope.address(parsed.toString())).orElse(CryptoPolicy.INHERIT));
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
