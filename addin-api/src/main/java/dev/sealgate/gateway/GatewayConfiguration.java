package dev.sealgate.gateway;

import dev.sealgate.SealgateProperties;
import dev.sealgate.cluster.ClusterClientCounters;
import dev.sealgate.cluster.ClusterProperties;
import dev.sealgate.cluster.DatabaseCounters;
import dev.sealgate.cluster.NodeIdentity;
import dev.sealgate.blob.BlobStore;
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
import dev.sealgate.queue.QueueIds;
import dev.sealgate.queue.QueueRepository;
import dev.sealgate.queue.Routing;
import dev.sealgate.queue.Spool;
import dev.sealgate.smtp.ClientCounters;
import dev.sealgate.smtp.InMemoryClientCounters;
import dev.sealgate.smtp.RelayRefusal;
import dev.sealgate.smtp.SmtpEvents;
import dev.sealgate.smtp.SmtpListener;
import dev.sealgate.smtp.SmtpSettings;
import dev.sealgate.smtp.TlsSetup;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.tracking.TrackingRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

/**
 * Wires the gateway role: relay policy, SMTP listener, spool, pipeline, queue and delivery. The
 * listener and the delivery workers are started and stopped by {@link GatewayLifecycle}.
 */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    @Bean
    RuleRepository ruleRepository(DataSource dataSource) {
        return new RuleRepository(dataSource);
    }

    @Bean
    QueueRepository queueRepository(DataSource dataSource, ClusterProperties cluster) {
        return new QueueRepository(dataSource, cluster.takeoverAfter());
    }

    @Bean
    TrackingRepository trackingRepository(DataSource dataSource) {
        return new TrackingRepository(dataSource);
    }

    @Bean
    RelayPolicy relayPolicy(GatewayProperties gateway, RelayProperties relay, RuleRepository rules, Clock clock) {
        List<AddressRange> companyServers = gateway.companyServers().stream().map(AddressRange::parse).toList();
        return new RelayPolicy(new LinkedHashSet<>(gateway.domains()), companyServers, relay.allowForeignSenders(),
                new CachedRules(rules, clock));
    }

    @Bean
    Spool spool(BlobStore blobStore, SealgateProperties sealgate) {
        return new Spool(blobStore, sealgate.dataDir().resolve("work"));
    }

    @Bean
    SpoolUpgrade spoolUpgrade(SealgateProperties sealgate, Spool spool, QueueRepository queue, EventLog events) {
        return new SpoolUpgrade(sealgate.dataDir().resolve("spool"), spool, queue, events);
    }

    @Bean
    Routing routing(RelayProperties relay) {
        return new Routing(relay.inboundNextHop(), relay.outboundSmarthost());
    }

    @Bean
    Notices notices(Spool spool, Routing routing, RelayPolicy policy, SmtpProperties smtp, Clock clock) {
        return new Notices(spool, routing, policy::isOwnAddress, smtp.effectiveHostName(), clock);
    }

    @Bean
    Pipeline pipeline(ObjectProvider<PipelineStep> steps) {
        return new Pipeline(steps.orderedStream().toList());
    }

    @Bean
    DeliveryService deliveryService(QueueRepository queue, Spool spool, Notices notices, RelayProperties relay,
                                    QueueProperties queueProperties, SmtpProperties smtp, NodeIdentity node,
                                    Clock clock, EventLog events) {
        Set<String> requireTls = relay.requireTls().stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        DeliverySettings settings = new DeliverySettings(node.id(), smtp.effectiveHostName(), queueProperties.workers(),
                queueProperties.pollInterval(), queueProperties.lease(), queueProperties.batchSize(),
                queueProperties.messagesPerConnection(), queueProperties.retryInitial(), queueProperties.retryMax(),
                queueProperties.maxAge(), relay.connectTimeout(), requireTls, queueProperties.delayWarningTime());
        return new DeliveryService(queue, spool, new NextHopResolver(resolver(relay), relay.mxPort()), notices, settings, clock, events);
    }

    @Bean
    Intake intake(Spool spool, Pipeline pipeline, QueueRepository queue, Routing routing, Notices notices, Clock clock,
                  SmtpProperties smtp, EventLog events, DeliveryService delivery) {
        return new Intake(spool, pipeline, queue, routing, notices, clock, smtp.effectiveHostName(), events, delivery);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "sealgate.smtp.tls.enabled", matchIfMissing = true)
    TlsSetup smtpTls(SmtpProperties smtp, SealgateProperties sealgate, EventLog events) {
        return TlsSetup.load(smtp.tls().certificate(), smtp.tls().key(), sealgate.dataDir(), smtp.effectiveHostName(), events);
    }

    /**
     * The per-client SMTP rate counters: shared with the other nodes through the database
     * ({@code sealgate.smtp.limits.scope}, by default whenever the database is not the embedded H2;
     * ADR 0155), else in this node's memory.
     */
    @Bean
    @ConditionalOnMissingBean
    ClientCounters smtpClientCounters(SmtpProperties smtp, DataSource dataSource, Environment environment, Clock clock) {
        SmtpProperties.Limits limits = smtp.limits();
        if (limits.clusterWide(environment.getProperty("spring.datasource.url", ""))) {
            if (limits.clusterSyncInterval().isNegative() || limits.clusterSyncInterval().isZero()) {
                throw new IllegalArgumentException("sealgate.smtp.limits.cluster-sync-interval must be more than 0, was "
                        + limits.clusterSyncInterval());
            }
            return new ClusterClientCounters(new DatabaseCounters(dataSource), limits.clusterSyncInterval(), clock);
        }
        return new InMemoryClientCounters();
    }

    @Bean
    SmtpEvents smtpEvents(EventLog events) {
        return new SmtpEvents(events);
    }

    @Bean
    SmtpListener smtpListener(SmtpProperties smtp, RelayPolicy policy, Intake intake, ObjectProvider<TlsSetup> smtpTls,
                              Consumer<RelayRefusal> relayRefusals, ClientCounters counters, SmtpEvents smtpEvents, Clock clock)
            throws UnknownHostException {
        TlsSetup tls = smtpTls.getIfAvailable();
        InetAddress bind = smtp.bindAddress() == null || smtp.bindAddress().isBlank() ? null : InetAddress.getByName(smtp.bindAddress());
        SmtpSettings settings = new SmtpSettings(bind, smtp.port(), smtp.effectiveHostName(), smtp.maxMessageSize().toBytes(),
                smtp.maxRecipients(), smtp.maxLineLength(), smtp.maxHeaderSize().toBytes(), smtp.maxConnections(), smtp.idleTimeout(),
                smtp.bareNewline(), smtp.limits().toClientLimits());
        return new SmtpListener(settings, policy, intake, tls, relayRefusals, counters, smtpEvents, clock);
    }

    /** Counts every "Unable to relay"; records it in tracking only when configured. */
    @Bean
    Consumer<RelayRefusal> relayRefusals(MeterRegistry meters, TrackingProperties tracking, TrackingRepository repository,
                                         Clock clock) {
        return refusal -> {
            Counter.builder("sealgate.smtp.relay.refused").description("SMTP commands answered with 550 5.7.1 Unable to relay")
                    .tag("case", refusal.rejection().name().toLowerCase(Locale.ROOT)).register(meters).increment();
            if (tracking.trackInvalidSendersAndRecipients()) {
                repository.recordRefusal(QueueIds.next(clock), clock.instant(), refusal.clientAddress(), refusal.helo(),
                        refusal.direction().name(), refusal.sender(), refusal.recipient(), refusal.reply());
            }
        };
    }

    @Bean
    GatewayLifecycle gatewayLifecycle(SmtpListener listener, DeliveryService delivery, RuleRepository rules,
                                      GatewayProperties gateway, RelayProperties relay, SmtpProperties smtp, Spool spool,
                                      QueueRepository queue, EventLog events, ObjectProvider<TlsSetup> smtpTls) {
        TlsSetup tls = smtpTls.getIfAvailable();
        return new GatewayLifecycle(listener, delivery, rules, gateway, relay, smtp, spool, queue, events,
                tls == null ? null : tls.generatedNote());
    }

    private static Resolver resolver(RelayProperties relay) {
        if (relay.dnsServers().isEmpty()) {
            return null;
        }
        try {
            Resolver[] resolvers = new Resolver[relay.dnsServers().size()];
            for (int i = 0; i < resolvers.length; i++) {
                String server = relay.dnsServers().get(i).trim();
                int colon = server.lastIndexOf(':');
                SimpleResolver r;
                if (colon > 0 && server.indexOf(':') == colon) {
                    r = new SimpleResolver(server.substring(0, colon));
                    r.setPort(Integer.parseInt(server.substring(colon + 1)));
                } else {
                    r = new SimpleResolver(server);
                }
                resolvers[i] = r;
            }
            return resolvers.length == 1 ? resolvers[0] : new ExtendedResolver(resolvers);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("sealgate.relay.dns-servers " + relay.dnsServers()
                    + " is not a list of host or host:port: " + e.getMessage(), e);
        }
    }
}
