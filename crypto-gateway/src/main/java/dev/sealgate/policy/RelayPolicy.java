package dev.sealgate.policy;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Who may relay what. A connection from a company mail server is outbound, any other is inbound;
 * then the envelope sender, each recipient and the message-flow rules decide. The relay is never
 * open: with no own domains configured no inbound recipient is accepted, and with no rule a message
 * is refused.
 */
public class RelayPolicy {

    private final Set<String> ownDomains;
    private final List<AddressRange> companyServers;
    private final boolean allowForeignSenders;
    private final Supplier<List<MessageFlowRule>> rules;

    /**
     * @param ownDomains          the organisation's mail domains (matched case-insensitively, exactly; a
     *                            subdomain is its own domain and must be listed)
     * @param companyServers      CIDR ranges of the organisation's own mail servers
     * @param allowForeignSenders whether outbound mail may have a sender outside the own domains
     * @param rules               the current rule set, first to evaluate first
     */
    public RelayPolicy(Set<String> ownDomains, List<AddressRange> companyServers, boolean allowForeignSenders,
                       Supplier<List<MessageFlowRule>> rules) {
        this.ownDomains = ownDomains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.companyServers = List.copyOf(companyServers);
        this.allowForeignSenders = allowForeignSenders;
        this.rules = rules;
    }

    public Direction directionOf(InetAddress client) {
        return isCompanyServer(client) ? Direction.OUTBOUND : Direction.INBOUND;
    }

    public boolean isCompanyServer(InetAddress client) {
        return companyServers.stream().anyMatch(r -> r.contains(client));
    }

    /** Whether the address (or the null sender, given as "") belongs to an own domain. */
    public boolean isOwnAddress(String address) {
        int at = address.lastIndexOf('@');
        return at >= 0 && ownDomains.contains(address.substring(at + 1).toLowerCase(Locale.ROOT));
    }

    public boolean hasOwnDomains() {
        return !ownDomains.isEmpty();
    }

    /** The check at MAIL FROM: cases 1 and 2. The null sender (bounces) passes in both directions. */
    public RelayDecision checkSender(InetAddress client, String sender) {
        if (sender.isEmpty()) {
            return RelayDecision.accept(null);
        }
        Direction direction = directionOf(client);
        if (direction == Direction.INBOUND && isOwnAddress(sender)) {
            return RelayDecision.reject(RelayRejection.INBOUND_OWN_SENDER,
                    // the reply goes to strangers: it names the problem, not our configuration keys
                    "sender " + sender + " is of a domain this gateway serves, but " + client.getHostAddress()
                            + " is not one of that domain's mail servers");
        }
        if (direction == Direction.OUTBOUND && !isOwnAddress(sender) && !allowForeignSenders) {
            return RelayDecision.reject(RelayRejection.OUTBOUND_FOREIGN_SENDER,
                    "sender " + sender + " is not of an own domain (sealgate.domains); company mail servers"
                            + " may send only for own domains unless sealgate.relay.allow-foreign-senders is on");
        }
        return RelayDecision.accept(null);
    }

    /** The check at RCPT TO: case 3, then the rules (case 4). */
    public RelayDecision checkRecipient(InetAddress client, String sender, String recipient) {
        Direction direction = directionOf(client);
        if (direction == Direction.INBOUND && !isOwnAddress(recipient)) {
            String reason = hasOwnDomains()
                    ? "recipient " + recipient + " is not of an own domain"
                    : "no own domains configured: set sealgate.domains";
            return RelayDecision.reject(RelayRejection.INBOUND_FOREIGN_RECIPIENT, reason);
        }
        for (MessageFlowRule rule : rules.get()) {
            if (rule.matches(direction, sender, recipient, client, this)) {
                return RelayDecision.accept(rule.name());
            }
        }
        return RelayDecision.reject(RelayRejection.NO_MATCHING_RULE,
                "no message-flow rule matches " + direction.name().toLowerCase(Locale.ROOT) + " mail from <" + sender
                        + "> to <" + recipient + "> from " + client.getHostAddress());
    }
}
