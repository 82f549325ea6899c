package dev.sealgate.security;

import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Local accounts for the sign-in form besides the break-glass one (for sites without an identity
 * provider, and for the command line's {@code admin create}). Admin only, audited like every change.
 */
@RestController
@RequestMapping("/api/v1/admin/accounts")
class AdminAccountController {

    static final int MIN_PASSWORD_LENGTH = 12;

    private final AdminAccounts accounts;

    AdminAccountController(AdminAccounts accounts) {
        this.accounts = accounts;
    }

    /** @param password at least 12 characters; stored only as an Argon2id hash */
    record NewAccount(String username, String password, String role) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a local admin account (username, password of 12 or more characters, role admin|operator|auditor)")
    Mono<Map<String, String>> create(@RequestBody NewAccount request) {
        // validated off the event loop too: a refusal is audited, and the audit writes to the database
        return Blocking.call(() -> {
            if (request.username() == null || !request.username().matches("[A-Za-z0-9._@-]{1,100}")) {
                throw new IllegalArgumentException("username must be 1 to 100 letters, digits or . _ @ -");
            }
            if (request.password() == null || request.password().length() < MIN_PASSWORD_LENGTH) {
                throw new IllegalArgumentException("password must have at least " + MIN_PASSWORD_LENGTH + " characters");
            }
            AdminRole role = AdminRole.parse(request.role());
            if (!accounts.createIfAbsent(request.username(), request.password(), role)) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, "an account named " + request.username() + " exists already");
            }
            return Map.of("username", request.username(), "role", role.value());
        });
    }
}
