package dev.sealgate.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an admin identity may do; the matrix of routes per role is in {@link SecurityConfiguration}.
 * Stored and configured in lower case ({@code admin}), granted as {@code ROLE_ADMIN}.
 */
public enum AdminRole {
    /** Everything. */
    ADMIN,
    /** Queues, held mail, tracking, events; no keys, policies, trust anchors or certificates. */
    OPERATOR,
    /** Reads what the admin API shows, changes nothing; no message content, no private keys. */
    AUDITOR;

    public String authority() {
        return "ROLE_" + name();
    }

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code value} in any case; a precise refusal otherwise. */
    public static AdminRole parse(String value) {
        if (value != null) {
            for (AdminRole role : values()) {
                if (role.name().equalsIgnoreCase(value.strip())) {
                    return role;
                }
            }
        }
        throw new IllegalArgumentException("role must be one of "
                + Arrays.stream(values()).map(AdminRole::value).collect(Collectors.joining(", ")) + ", was " + value);
    }
}
