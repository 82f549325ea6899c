package dev.sealgate.policy;

import dev.sealgate.certs.MailAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a crypto policy applies: {@code global}, a domain ({@code partner.example}) or an address
 * ({@code bob@partner.example}; local part exact, domain case-insensitive).
 */
public record PolicyScope(Level level, String value) {

    public enum Level {
        GLOBAL,
        DOMAIN,
        ADDRESS
    }

    public static final PolicyScope GLOBAL = new PolicyScope(Level.GLOBAL, "global");

    private static final Pattern DOMAIN =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+");

    public static PolicyScope parse(String scope) {
        String trimmed = scope == null ? "" : scope.trim();
        if (trimmed.equalsIgnoreCase("global")) {
            return GLOBAL;
        }
        if (trimmed.contains("@")) {
            return address(trimmed);
        }
        if (!DOMAIN.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("not a policy scope: '" + scope
                    + "'; use 'global', a domain such as partner.example, or an address such as bob@partner.example");
        }
        return new PolicyScope(Level.DOMAIN, trimmed.toLowerCase(Locale.ROOT));
    }

    public static PolicyScope domain(String domain) {
        return parse(domain);
    }

    /**
     * The domain scope of a mail domain, when a policy can exist for it: none for a single-label
     * domain ({@code localhost}) or an address literal ({@code [192.0.2.1]}), which {@link #parse}
     * refuses as policy scopes, so that only the global and address policies apply to them.
     */
    public static Optional<PolicyScope> ofMailDomain(String domain) {
        String trimmed = domain == null ? "" : domain.trim();
        if (!DOMAIN.matcher(trimmed).matches()) {
            return Optional.empty();
        }
        return Optional.of(new PolicyScope(Level.DOMAIN, trimmed.toLowerCase(Locale.ROOT)));
    }

    public static PolicyScope address(String address) {
        return new PolicyScope(Level.ADDRESS, MailAddress.parse(address).toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
