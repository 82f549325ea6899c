package dev.sealgate.security;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import reactor.core.publisher.Mono;

/** Who is calling, in the words the audit uses, for records that say who did something (e.g. who imported a certificate). */
public final class Actor {

    private Actor() {
    }

    /** The signed-in caller and how they signed in, e.g. {@code admin (password)}; {@code anonymous} when nobody. */
    public static Mono<String> current() {
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .map(a -> SignIn.actor(a) + " (" + SignIn.method(a) + ")")
                .defaultIfEmpty("anonymous");
    }
}
