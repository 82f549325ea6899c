package dev.sealgate.security;

/**
 * The caller of the add-in API as its identity provider vouched for it. Controllers take it as
 * {@code @AuthenticationPrincipal AddinUser user}; only the security chain creates it.
 *
 * @param mailAddress the user's mail address from the configured claim, lower case
 * @param subject     the token's {@code sub}
 */
public record AddinUser(String mailAddress, String subject) {

    /** The part after the last {@code @}, lower case. */
    public String domain() {
        return mailAddress.substring(mailAddress.lastIndexOf('@') + 1);
    }
}
