package dev.sealgate.monitoring;

import dev.sealgate.gateway.RelayProperties;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/nextHops}: whether the configured next hops (the company mail server for
 * inbound mail, the smart host for outbound mail) accept a TCP connection. Not part of the liveness
 * or readiness groups, and it does not pull the overall status down: a next hop that is away makes
 * mail wait in the queue, not this node unfit. It says {@code UNREACHABLE}, which ranks below
 * {@code UP} ({@code management.endpoint.health.status.order} in application.yml).
 */
@Component("nextHops")
class NextHopHealthIndicator implements HealthIndicator {

    static final int CONNECT_TIMEOUT_MILLIS = 3_000;
    static final Status UNREACHABLE = new Status("UNREACHABLE", "a next hop does not accept connections; mail for it waits");

    private final RelayProperties relay;

    NextHopHealthIndicator(RelayProperties relay) {
        this.relay = relay;
    }

    @Override
    public Health health() {
        Map<String, String> hops = new LinkedHashMap<>();
        if (relay.inboundNextHop() != null && !relay.inboundNextHop().isBlank()) {
            hops.put("inbound", relay.inboundNextHop());
        }
        if (relay.outboundSmarthost() != null && !relay.outboundSmarthost().isBlank()) {
            hops.put("outbound", relay.outboundSmarthost());
        }
        if (hops.isEmpty()) {
            return Health.unknown().withDetail("reason", "no next hop configured (sealgate.relay.inbound-next-hop)").build();
        }
        Health.Builder health = Health.up();
        boolean unreachable = false;
        for (Map.Entry<String, String> hop : hops.entrySet()) {
            String problem = probe(hop.getValue());
            health.withDetail(hop.getKey(), hop.getValue() + (problem == null ? ": reachable" : ": " + problem));
            unreachable |= problem != null;
        }
        return (unreachable ? health.status(UNREACHABLE) : health).build();
    }

    private static String probe(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        String host = colon > 0 ? hostAndPort.substring(0, colon) : hostAndPort;
        int port;
        try {
            port = colon > 0 ? Integer.parseInt(hostAndPort.substring(colon + 1)) : 25;
        } catch (NumberFormatException e) {
            return "not host:port";
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host.replace("[", "").replace("]", ""), port), CONNECT_TIMEOUT_MILLIS);
            return null;
        } catch (IOException e) {
            return "unreachable (" + e.getClass().getSimpleName() + ")";
        }
    }
}
