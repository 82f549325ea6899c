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

    /**
     * The policy of a mail address. A domain that cannot carry a domain policy (single label such
     * as {@code localhost}, address literal) falls back to the global policy, never to an error:
     * the SMTP session accepted such an address, so the mail path must be able to handle it.
     */
    public EffectivePolicy resolve(String address) {
        MailAddress parsed = MailAddress.parse(address);
        CryptoPolicy domain = PolicyScope.ofMailDomain(parsed.domain()).flatMap(repository::find).orElse(CryptoPolicy.INHERIT);
        CryptoPolicy effective = CryptoPolicy.DEFAULTS
                .overriddenBy(repository.find(PolicyScope.GLOBAL).orElse(CryptoPolicy.INHERIT))
                .overriddenBy(domain)
                .overriddenBy(repository.find(PolicyScope.address(parsed.toString())).orElse(CryptoPolicy.INHERIT));
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
