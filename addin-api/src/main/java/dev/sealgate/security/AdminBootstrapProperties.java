package dev.sealgate.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The break-glass admin account created at start when no local account of that name exists
 * ({@code sealgate.admin.bootstrap.*}; environment {@code SEALGATE_ADMIN_BOOTSTRAP_USERNAME} and
 * {@code SEALGATE_ADMIN_BOOTSTRAP_PASSWORD}). The password is stored as an Argon2id hash, never
 * logged; changing it here later does not change an existing account.
 *
 * @param username the account's name; unset: no local account is created
 * @param password its password, at least 12 characters
 */
@ConfigurationProperties("sealgate.admin.bootstrap")
public record AdminBootstrapProperties(String username, String password) {

    static final int MIN_PASSWORD = 12;

    public AdminBootstrapProperties {
        if (username != null && !username.isBlank() && (password == null || password.length() < MIN_PASSWORD)) {
            throw new IllegalArgumentException("sealgate.admin.bootstrap.password must have at least " + MIN_PASSWORD
                    + " characters when sealgate.admin.bootstrap.username is set");
        }
    }

    public boolean configured() {
        return username != null && !username.isBlank();
    }

    @Override
    public String toString() {
        return "AdminBootstrapProperties[username=" + username + ", password=" + (password == null ? "(not set)" : "(set)") + "]";
    }
}
