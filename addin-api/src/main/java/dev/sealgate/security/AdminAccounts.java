package dev.sealgate.security;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Local admin accounts for the sign-in form: the break-glass account for when the identity
 * provider is away. Passwords are kept as Argon2id hashes only. Blocking (JDBC).
 */
public class AdminAccounts {

    /** A local account as stored. */
    public record Account(String username, String passwordHash, AdminRole role) {
    }

    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;
    private final Clock clock;

    public AdminAccounts(DataSource dataSource, PasswordEncoder encoder, Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.encoder = encoder;
        this.clock = clock;
    }

    public Optional<Account> find(String username) {
        return jdbc.sql("SELECT username, password_hash, role FROM admin_account WHERE username = ?")
                .param(username)
                .query((rs, row) -> new Account(rs.getString(1), rs.getString(2), AdminRole.parse(rs.getString(3))))
                .optional();
    }

    /** @return whether the account was created (false: an account of that name exists and is kept as it is) */
    public boolean createIfAbsent(String username, CharSequence password, AdminRole role) {
        if (find(username).isPresent()) {
            return false;
        }
        jdbc.sql("INSERT INTO admin_account (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)")
                .params(username, encoder.encode(password), role.value(), clock.instant().atOffset(ZoneOffset.UTC))
                .update();
        return true;
    }

    public boolean any() {
        return jdbc.sql("SELECT COUNT(*) FROM admin_account").query(Long.class).single() > 0;
    }
}
