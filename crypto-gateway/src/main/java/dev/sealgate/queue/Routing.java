package dev.sealgate.queue;

import dev.sealgate.policy.Direction;
import java.util.Locale;

/**
 * Where a recipient's copy goes next: inbound mail to the company mail server
 * ({@code sealgate.relay.inbound-next-hop}), outbound mail to the smart host when one is set,
 * else to the MX of the recipient's domain. Next hops are kept as text in the queue:
 * {@code host:port} or {@code mx:domain}.
 */
public final class Routing {

    static final String MX_PREFIX = "mx:";
    static final String UNCONFIGURED_INBOUND = "unconfigured:inbound-next-hop";

    private final String inboundNextHop;
    private final String outboundSmarthost;

    /**
     * @param inboundNextHop    host:port of the company mail server; null when not configured
     * @param outboundSmarthost host:port of a smart host; null to deliver by MX
     */
    public Routing(String inboundNextHop, String outboundSmarthost) {
        this.inboundNextHop = blankToNull(inboundNextHop);
        this.outboundSmarthost = blankToNull(outboundSmarthost);
    }

    public String nextHop(Direction direction, String recipient) {
        if (direction == Direction.INBOUND) {
            return inboundNextHop == null ? UNCONFIGURED_INBOUND : inboundNextHop;
        }
        if (outboundSmarthost != null) {
            return outboundSmarthost;
        }
        return MX_PREFIX + recipient.substring(recipient.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
