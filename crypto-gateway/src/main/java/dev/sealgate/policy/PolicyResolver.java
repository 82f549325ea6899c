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

    /**
     * The policy of a mail address, in one query for its scopes: this runs for the sender and every
     * recipient of every message. A domain that cannot carry a domain policy (single label such as
     * {@code localhost}, address literal) is skipped, never an error: the SMTP session accepted such
     * an address, so the mail path must be able to handle it.
     */
    public EffectivePolicy resolve(String address) {
        MailAddress parsed = MailAddress.parse(address);
        List<PolicyScope> scopes = new java.util.ArrayList<>();
        scopes.add(PolicyScope.GLOBAL);
        PolicyScope.ofMailDomain(parsed.domain()).ifPresent(scopes::add);
        scopes.add(PolicyScope.address(parsed.toString()));
        Map<String, CryptoPolicy> stored = repository.find(scopes);
        CryptoPolicy effective = CryptoPolicy.DEFAULTS;
        for (PolicyScope scope : scopes) {
            effective = effective.overriddenBy(stored.getOrDefault(scope.value(), CryptoPolicy.INHERIT));
        }
        return new EffectivePolicy(parsed.toString(), effective);
    }

    /**
     * The policy for mail with the null reverse path ({@code MAIL FROM:<>}, bounces and other
     * notices, RFC 5321 4.5.5): the global policy, shown as {@code <>}.
     */
    public EffectivePolicy resolveNullSender() {
        CryptoPolicy global = CryptoPolicy.DEFAULTS.overriddenBy(repository.find(PolicyScope.GLOBAL).orElse(CryptoPolicy.INHERIT));
        return new EffectivePolicy("<>", global);
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
