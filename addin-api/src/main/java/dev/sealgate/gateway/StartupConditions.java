package dev.sealgate.gateway;

import dev.sealgate.tracking.EventLog;
import dev.sealgate.tracking.Severity;

/**
 * What a newcomer must fix, checked at every start: a condition that stands is raised as an event
 * (counted, not repeated, while it stands), one that is gone has its events marked resolved, so
 * that the event log does not keep warning about a problem fixed since the last start.
 */
final class StartupConditions {

    static final String NO_OWN_DOMAINS = "startup.no-own-domains";
    static final String NO_COMPANY_SERVERS = "startup.no-company-servers";
    static final String NO_INBOUND_NEXT_HOP = "startup.no-inbound-next-hop";

    private StartupConditions() {
    }

    static void check(EventLog events, GatewayProperties gateway, RelayProperties relay) {
        condition(events, gateway.domains().isEmpty(), NO_OWN_DOMAINS, Severity.WARNING, "smtp",
                "No own domains configured: inbound mail is refused until sealgate.domains is set",
                "Every RCPT from outside is answered 550 5.7.1 Unable to relay: no own domains configured: set sealgate.domains",
                "own domains configured: " + String.join(", ", gateway.domains()));
        condition(events, gateway.companyServers().isEmpty(), NO_COMPANY_SERVERS, Severity.INFO, "smtp",
                "No company mail servers configured (sealgate.company-servers): every connection is treated as inbound", null,
                "company mail servers configured: " + String.join(", ", gateway.companyServers()));
        boolean noNextHop = relay.inboundNextHop() == null || relay.inboundNextHop().isBlank();
        condition(events, noNextHop, NO_INBOUND_NEXT_HOP, Severity.WARNING, "queue",
                "No inbound next hop configured: inbound mail stays in the queue until"
                        + " sealgate.relay.inbound-next-hop names the company mail server (host:port)", null,
                "inbound next hop configured: " + relay.inboundNextHop());
    }

    private static void condition(EventLog events, boolean stands, String key, Severity severity, String source, String message,
                                  String details, String resolution) {
        if (stands) {
            events.raise(key, severity, source, message, details);
        } else {
            events.resolve(key, resolution);
        }
    }
}
