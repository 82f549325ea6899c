package dev.sealgate.queue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Turns a queue's next hop into the hosts to try: {@code host:port} as is, {@code mx:domain} by
 * the domain's MX records in preference order (the domain itself when it has none, RFC 5321
 * 5.1). The DNS resolver is configurable so that tests point it at a local stub.
 */
public final class NextHopResolver {

    /** A host to connect to. */
    public record Host(String name, int port) {
        @Override
        public String toString() {
            return name + ":" + port;
        }
    }

    /** A next hop that cannot be resolved; {@code permanent} when retrying will not help. */
    public static final class UnresolvableException extends Exception {
        private final boolean permanent;

        UnresolvableException(String message, boolean permanent) {
            super(message);
            this.permanent = permanent;
        }

        public boolean permanent() {
            return permanent;
        }
    }

    private final Resolver resolver;
    private final int mxPort;

    /**
     * @param resolver DNS resolver; null for the system's
     * @param mxPort   port of MX hosts (25; tests use another)
     */
    public NextHopResolver(Resolver resolver, int mxPort) {
        this.resolver = resolver;
        this.mxPort = mxPort;
    }

    public List<Host> resolve(String nextHop) throws UnresolvableException {
        if (nextHop.equals(Routing.UNCONFIGURED_INBOUND)) {
            throw new UnresolvableException("421 4.3.5 no inbound next hop configured: set sealgate.relay.inbound-next-hop"
                    + " to host:port of the company mail server", false);
        }
        if (nextHop.startsWith(Routing.MX_PREFIX)) {
            return mx(nextHop.substring(Routing.MX_PREFIX.length()));
        }
        int colon = nextHop.lastIndexOf(':');
        if (colon < 0) {
            return List.of(new Host(nextHop, 25));
        }
        return List.of(new Host(nextHop.substring(0, colon), Integer.parseInt(nextHop.substring(colon + 1))));
    }

    private List<Host> mx(String domain) throws UnresolvableException {
        Lookup lookup;
        try {
            lookup = new Lookup(org.xbill.DNS.Name.fromString(domain, org.xbill.DNS.Name.root), Type.MX);
        } catch (TextParseException e) {
            throw new UnresolvableException("550 5.1.2 recipient domain " + domain + " is not a valid domain name", true);
        }
        if (resolver != null) {
            lookup.setResolver(resolver);
            lookup.setCache(null);
        }
        Record[] records = lookup.run();
        switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL -> {
                List<MXRecord> mx = new ArrayList<>(Arrays.stream(records).map(r -> (MXRecord) r).toList());
                mx.sort(Comparator.comparingInt(MXRecord::getPriority));
                List<Host> hosts = new ArrayList<>();
                for (MXRecord r : mx) {
                    String target = r.getTarget().toString(true);
                    if (target.isEmpty() || target.equals(".")) {
                        throw new UnresolvableException("556 5.1.10 domain " + domain + " accepts no mail (null MX, RFC 7505)", true);
                    }
                    hosts.add(new Host(target, mxPort));
                }
                return hosts;
            }
            case Lookup.TYPE_NOT_FOUND -> {
                return List.of(new Host(domain, mxPort));
            }
            case Lookup.HOST_NOT_FOUND -> throw new UnresolvableException("550 5.1.2 recipient domain " + domain + " does not exist (DNS NXDOMAIN)", true);
            default -> throw new UnresolvableException("451 4.4.3 MX lookup for " + domain + " failed: " + lookup.getErrorString(), false);
        }
    }
}
