package dev.sealgate.certs;

import java.util.Locale;

/**
 * A mail address as the store compares it: local part exact, domain case-insensitive (kept in
 * lower case).
 */
public record MailAddress(String localPart, String domain) {

    public MailAddress {
        if (localPart.isEmpty() || domain.isEmpty()) {
            throw new IllegalArgumentException("not a mail address: local part and domain must not be empty");
        }
        domain = domain.toLowerCase(Locale.ROOT);
    }

    /** Parses {@code local@domain}, splitting at the last {@code @} (a quoted local part may hold one). */
    public static MailAddress parse(String address) {
        String trimmed = address == null ? "" : address.trim();
        if (trimmed.startsWith("<") && trimmed.endsWith(">")) {
            trimmed = trimmed.substring(1, trimmed.length() - 1);
        }
        int at = trimmed.lastIndexOf('@');
        if (at <= 0 || at == trimmed.length() - 1) {
            throw new IllegalArgumentException("not a mail address: '" + address + "' (expected local-part@domain)");
        }
        return new MailAddress(trimmed.substring(0, at), trimmed.substring(at + 1));
    }

    @Override
    public String toString() {
        return localPart + "@" + domain;
    }
}
