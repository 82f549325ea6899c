package dev.sealgate.addin;

/**
 * What the add-in needs to know about a recipient. The service's default answers from
 * {@code sealgate.domains} and knows no certificates; the certificate store and the crypto policy's
 * RecipientPlanner replace it (a bean of this type wins over the default).
 */
public interface RecipientLookup {

    /** @param sender the authenticated user, whose policy applies */
    RecipientStatus check(String sender, String recipient);
}
