package dev.sealgate.security;

import java.util.List;
import java.util.function.UnaryOperator;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Who may read what a message says. Admins and operators handle mail and see subject lines; an
 * auditor checks who did what and sees the path of mail (addresses, times, results) but no content:
 * no subject line, no search by subject, and no bodies (no role gets bodies through the API). The
 * decision is made from the signed-in caller's roles, so every API client sees the same.
 */
public final class ContentAccess {

    private static final List<String> CONTENT_ROLES = List.of("ROLE_" + AdminRole.ADMIN.name(), "ROLE_" + AdminRole.OPERATOR.name());

    private ContentAccess() {
    }

    /** True when the caller may see subject lines. */
    public static Mono<Boolean> mayReadContent() {
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .map(ContentAccess::handlesMail)
                .defaultIfEmpty(false);
    }

    /** The value as it is for a caller who may read content, else with the content taken out. */
    public static <T> Mono<T> redactFor(Mono<T> value, UnaryOperator<T> withoutContent) {
        return mayReadContent().flatMap(may -> may ? value : value.map(withoutContent));
    }

    /** The list as it is, or each element with the content taken out. */
    public static <T> Mono<List<T>> redactEachFor(Mono<List<T>> value, UnaryOperator<T> withoutContent) {
        return redactFor(value, list -> list.stream().map(withoutContent).toList());
    }

    /** Refuses a search by content (a subject part) for a caller who may not read content. */
    public static Mono<Void> requireContentAccess(String what) {
        return mayReadContent().flatMap(may -> may ? Mono.<Void>empty()
                : Mono.error(new ResponseStatusException(HttpStatus.FORBIDDEN, what + " needs the admin or operator role: an auditor sees no message content")));
    }

    private static boolean handlesMail(Authentication authentication) {
        return authentication != null && authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority).anyMatch(CONTENT_ROLES::contains);
    }
}
