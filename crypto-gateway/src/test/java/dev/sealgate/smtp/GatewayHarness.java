package dev.sealgate.smtp;

import dev.sealgate.pipeline.Pipeline;
import dev.sealgate.pipeline.PipelineStep;
import dev.sealgate.policy.AddressRange;
import dev.sealgate.policy.RelayPolicy;
import dev.sealgate.policy.RuleRepository;
import dev.sealgate.queue.DeliveryService;
import dev.sealgate.queue.DeliverySettings;
import dev.sealgate.queue.Intake;
import dev.sealgate.queue.NextHopResolver;
import dev.sealgate.queue.Notices;
import dev.sealgate.queue.QueueRepository;
import dev.sealgate.queue.Routing;
import dev.sealgate.queue.Spool;
import dev.sealgate.storage.TestDatabase;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.tracking.TrackingRepository;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The whole mail path in one test process, wired as the service wires it, on a private H2 and a
 * temporary data directory: listener on 127.0.0.1 (ephemeral port), delivery with short retry
 * intervals, next hops pointing at the given sink. 127.0.0.1 is the company mail server; a client
 * bound to 127.0.0.2 is the internet.
 */
public final class GatewayHarness implements AutoCloseable {

    public static final String OWN_DOMAIN = "corp.example";

    public final TestDatabase db;
    public final EventLog events;
    public final QueueRepository queue;
    public final TrackingRepository tracking;
    public final RuleRepository rules;
    public final Spool spool;
    public final DeliveryService delivery;
    public final SmtpListener listener;
    public final List<RelayRefusal> refusals = new CopyOnWriteArrayList<>();

    private final SmtpEvents smtpEvents;

    private GatewayHarness(Builder b) {
        db = b.postgres ? TestDatabase.postgres() : TestDatabase.h2();
        Clock clock = Clock.systemUTC();
        events = new EventLog(db.dataSource(), clock);
        queue = new QueueRepository(db.dataSource());
        tracking = new TrackingRepository(db.dataSource());
        rules = new RuleRepository(db.dataSource());
        rules.createDefaultsIfEmpty();
        RelayPolicy policy = new RelayPolicy(b.domains, List.of(AddressRange.parse("127.0.0.1/32")), b.allowForeignSenders,
                rules::findAll);
        spool = b.spool != null ? b.spool
                : b.readFromStore ? dev.sealgate.queue.TestSpools.readingFromTheStore(b.dataDir)
                : dev.sealgate.queue.TestSpools.encrypted(b.dataDir);
        Routing routing = new Routing(b.inboundNextHop, b.smarthost);
        Notices notices = new Notices(spool, routing, policy::isOwnAddress, "gateway.test", clock);
        DeliverySettings settings = new DeliverySettings("test-node", "gateway.test", 2, b.pollInterval,
                Duration.ofSeconds(30), 50, 20, Duration.ofMillis(100), Duration.ofMillis(400), b.maxAge,
                Duration.ofSeconds(10), b.requireTlsDomains, b.delayWarningTime);
        delivery = new DeliveryService(queue, spool, new NextHopResolver(b.resolver, b.mxPort), notices, settings, clock, events);
        Intake intake = new Intake(spool, new Pipeline(b.steps), queue, routing, notices, clock, "gateway.test", events,
                delivery);
        TlsSetup tls = b.tls ? TlsSetup.load(null, null, b.dataDir, "gateway.test", events) : null;
        SmtpSettings smtp = new SmtpSettings(InetAddress.getLoopbackAddress(), 0, "gateway.test", b.maxMessageSize, b.maxRecipients,
                998, 64 * 1024, b.maxConnections, b.idleTimeout, b.bareNewline, b.limits);
        smtpEvents = new SmtpEvents(events);
        listener = new SmtpListener(smtp, policy, intake, tls, refusals::add, b.counters, smtpEvents, clock);
        listener.start();
        delivery.start();
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    public int port() {
        return listener.port();
    }

    @Override
    public void close() {
        listener.stop();
        smtpEvents.close();
        delivery.stop();
        db.close();
    }

    /** Settings that differ between tests. */
    public static final class Builder {
        private final Path dataDir;
        private Set<String> domains = Set.of(OWN_DOMAIN);
        private boolean allowForeignSenders;
        private String inboundNextHop;
        private String smarthost;
        private List<PipelineStep> steps = List.of();
        private boolean tls = true;
        private boolean readFromStore;
        private Duration pollInterval = Duration.ofMillis(50);
        private long maxMessageSize = 1024 * 1024;
        private int maxRecipients = 5;
        private Duration maxAge = Duration.ofDays(2);
        private Set<String> requireTlsDomains = Set.of();
        private org.xbill.DNS.Resolver resolver;
        private int mxPort = 25;
        private int maxConnections = 20;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private BareNewline bareNewline = BareNewline.NORMALIZE;
        private ClientLimits limits = ClientLimits.NONE;
        private ClientCounters counters = new InMemoryClientCounters();
        private Spool spool;
        private boolean postgres;
        private Duration delayWarningTime = Duration.ZERO;

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder domains(Set<String> domains) {
            this.domains = domains;
            return this;
        }

        public Builder allowForeignSenders(boolean allow) {
            this.allowForeignSenders = allow;
            return this;
        }

        /** Both next hops (company server inbound, smart host outbound) to this sink. */
        public Builder nextHops(SmtpSink sink) {
            this.inboundNextHop = sink.hostAndPort();
            this.smarthost = sink.hostAndPort();
            return this;
        }

        /** Inbound mail to this host:port (after {@link #nextHops}, to point only inbound elsewhere). */
        public Builder inboundNextHop(String hostAndPort) {
            this.inboundNextHop = hostAndPort;
            return this;
        }

        /**
         * Inbound to the sink; outbound by MX, asking {@code dns}, with the MX hosts' port being the
         * sink's (point the MX records at {@code localhost}).
         */
        public Builder mxRouting(dev.sealgate.queue.DnsStub dns, SmtpSink sink) throws java.net.UnknownHostException {
            this.inboundNextHop = sink.hostAndPort();
            this.smarthost = null;
            this.resolver = dns.resolver();
            this.mxPort = sink.port();
            return this;
        }

        /** How often idle delivery workers look into the queue (default 50 ms). */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        /** Keeps no body in memory after writing, so that every read (the delivery's too) opens the stored blob. */
        public Builder readingFromTheStore() {
            this.readFromStore = true;
            return this;
        }

        public Builder steps(PipelineStep... steps) {
            this.steps = List.of(steps);
            return this;
        }

        public Builder maxMessageSize(long bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        public Builder maxAge(Duration maxAge) {
            this.maxAge = maxAge;
            return this;
        }

        public Builder requireTlsDomains(Set<String> domains) {
            this.requireTlsDomains = domains;
            return this;
        }

        /** Delay notices after this (default none in tests). */
        public Builder delayWarningTime(Duration delayWarningTime) {
            this.delayWarningTime = delayWarningTime;
            return this;
        }

        public Builder bareNewline(BareNewline bareNewline) {
            this.bareNewline = bareNewline;
            return this;
        }

        public Builder limits(ClientLimits limits) {
            this.limits = limits;
            return this;
        }

        /** The spool (default: encrypted blobs under the data directory, {@code TestSpools.encrypted}). */
        public Builder spool(Spool spool) {
            this.spool = spool;
            return this;
        }

        /** Where the listener counts its per-client rates (default: in memory). */
        public Builder counters(ClientCounters counters) {
            this.counters = counters;
            return this;
        }

        /** The harness's database on PostgreSQL (skipped without a server, a failure with CI=true) instead of H2. */
        public Builder postgres() {
            this.postgres = true;
            return this;
        }

        public GatewayHarness start() {
            return new GatewayHarness(this);
        }
    }
}
