package dev.sealgate.security;

import org.springframework.web.server.ServerWebExchange;

/**
 * The caller of the add-in API as its identity provider vouched for it.
 *
 * @param mailAddress the user's mail address from the configured claim, lower case
 * @param subject     the token's {@code sub}
 */
public record AddinUser(String mailAddress, String subject) {

    static final String ATTRIBUTE = AddinUser.class.getName();

    /** The authenticated caller; only on paths the {@link AddinAuthenticationFilter} guards. */
    public static AddinUser of(ServerWebExchange exchange) {
        AddinUser user = exchange.getAttribute(ATTRIBUTE);
        if (user == null) {
            throw new IllegalStateException("no authenticated add-in user on " + exchange.getRequest().getPath()
                    + ": the path is not guarded by AddinAuthenticationFilter");
        }
        return user;
    }
}
