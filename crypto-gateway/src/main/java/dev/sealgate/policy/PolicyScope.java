package dev.sealgate.policy;

import dev.sealgate.certs.MailAddress;
import java.util.Locale;

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

    public static PolicyScope parse(String scope) {
        String trimmed = scope == null ? "" : scope.trim();
        if (trimmed.equalsIgnoreCase("global")) {
            return GLOBAL;
        }
        if (trimmed.contains("@")) {
            return address(trimmed);
        }
        if (!trimmed.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+")) {
            throw new IllegalArgumentException("not a policy scope: '" + scope
                    + "'; use 'global', a domain such as partner.example, or an address such as bob@partner.example");
        }
        return new PolicyScope(Level.DOMAIN, trimmed.toLowerCase(Locale.ROOT));
    }

    public static PolicyScope domain(String domain) {
        return parse(domain);
    }

    public static PolicyScope address(String address) {
        return new PolicyScope(Level.ADDRESS, MailAddress.parse(address).toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
