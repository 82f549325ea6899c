package dev.sealgate.addin;

import java.util.List;

/**
 * What the add-in needs to know about a recipient. The service's default answers from
 * {@code sealgate.domains} and knows no certificates; the certificate store and the crypto policy's
 * RecipientPlanner replace it (a bean of this type wins over the default).
 */
public interface RecipientLookup {

    /**
     * One answer per recipient, in the order asked. All recipients come at once because the policy
     * decides for the message as a whole (e.g. opportunistic encryption only if every recipient has
     * a certificate).
     *
     * @param sender     the authenticated user, whose policy applies
     * @param recipients To, Cc and Bcc of the message being composed
     */
    List<RecipientStatus> check(String sender, List<String> recipients);
}
