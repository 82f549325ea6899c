package dev.sealgate.policy;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One rule of the rule set: the message flow it covers. Rules are ordered by {@code position};
 * the first rule whose flow matches a message decides (see {@link RelayPolicy}).
 *
 * <p>Patterns for sender and recipient: {@code *} (any address, also the null sender),
 * {@code own} (an address of an own domain), {@code foreign} (any other address), or a glob such
 * as {@code *@partner.example}. Client ranges: {@code *} (any client), {@code company} (the
 * company mail servers), or a comma-separated list of CIDR ranges.
 *
 * @param position         order of evaluation, lowest first
 * @param name             shown in tracking as the rule that matched
 * @param direction        the direction this rule covers
 * @param senderPattern    envelope sender pattern
 * @param recipientPattern recipient pattern
 * @param clientRanges     connecting client addresses
 */
public record MessageFlowRule(int position, String name, Direction direction, String senderPattern,
                              String recipientPattern, String clientRanges) {

    public MessageFlowRule {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a message-flow rule needs a name");
        }
        if (!"*".equals(clientRanges.trim()) && !"company".equalsIgnoreCase(clientRanges.trim())) {
            for (String range : clientRanges.split(",")) {
                AddressRange.parse(range);
            }
        }
    }

    /** The rules created on first start: outbound from company servers, inbound to own domains. */
    public static List<MessageFlowRule> defaults() {
        return List.of(
                new MessageFlowRule(10, "Outbound from company mail servers", Direction.OUTBOUND, "*", "*", "company"),
                new MessageFlowRule(20, "Inbound to own domains", Direction.INBOUND, "*", "own", "*"));
    }

    boolean matches(Direction messageDirection, String sender, String recipient, InetAddress client, RelayPolicy policy) {
        return direction == messageDirection
                && addressMatches(senderPattern, sender, policy)
                && addressMatches(recipientPattern, recipient, policy)
                && clientMatches(client, policy);
    }

    private static boolean addressMatches(String pattern, String address, RelayPolicy policy) {
        String p = pattern.trim();
        if ("*".equals(p)) {
            return true;
        }
        if ("own".equalsIgnoreCase(p)) {
            return policy.isOwnAddress(address);
        }
        if ("foreign".equalsIgnoreCase(p)) {
            return !policy.isOwnAddress(address);
        }
        String regex = Pattern.quote(p.toLowerCase(Locale.ROOT)).replace("*", "\\E.*\\Q");
        return address.toLowerCase(Locale.ROOT).matches(regex);
    }

    private boolean clientMatches(InetAddress client, RelayPolicy policy) {
        String ranges = clientRanges.trim();
        if ("*".equals(ranges)) {
            return true;
        }
        if ("company".equalsIgnoreCase(ranges)) {
            return policy.isCompanyServer(client);
        }
        for (String range : ranges.split(",")) {
            if (AddressRange.parse(range).contains(client)) {
                return true;
            }
        }
        return false;
    }
}
