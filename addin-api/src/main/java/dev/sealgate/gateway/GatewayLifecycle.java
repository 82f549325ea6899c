package dev.sealgate.gateway;

import dev.sealgate.policy.RuleRepository;
import dev.sealgate.queue.DeliveryService;
import dev.sealgate.queue.QueueRepository;
import dev.sealgate.queue.Spool;
import dev.sealgate.smtp.SmtpListener;
import dev.sealgate.tracking.EventLog;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the delivery workers, then the SMTP listener; stops them the other way round. At start
 * it creates the default rules on first start and tells the admin, by event, what is missing
 * (own domains, inbound next hop).
 */
class GatewayLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GatewayLifecycle.class);

    private final SmtpListener listener;
    private final DeliveryService delivery;
    private final RuleRepository rules;
    private final GatewayProperties gateway;
    private final RelayProperties relay;
    private final SmtpProperties smtp;
    private final Spool spool;
    private final QueueRepository queue;
    private final EventLog events;
    private final String tlsNote;
    private volatile boolean running;

    GatewayLifecycle(SmtpListener listener, DeliveryService delivery, RuleRepository rules, GatewayProperties gateway,
                     RelayProperties relay, SmtpProperties smtp, Spool spool, QueueRepository queue, EventLog events,
                     String tlsNote) {
        this.listener = listener;
        this.delivery = delivery;
        this.rules = rules;
        this.gateway = gateway;
        this.relay = relay;
        this.smtp = smtp;
        this.spool = spool;
        this.queue = queue;
        this.events = events;
        this.tlsNote = tlsNote;
    }

    @Override
    public void start() {
        if (rules.createDefaultsIfEmpty()) {
            events.info("policy", "Created the default message-flow rules: outbound from company mail servers, inbound to own domains", null);
        }
        if (tlsNote != null) {
            events.info("smtp", tlsNote, null);
        }
        if (gateway.domains().isEmpty()) {
            events.warning("smtp", "No own domains configured: inbound mail is refused until sealgate.domains is set",
                    "Every RCPT from outside is answered 550 5.7.1 Unable to relay: no own domains configured: set sealgate.domains");
        }
        if (gateway.companyServers().isEmpty()) {
            events.info("smtp", "No company mail servers configured (sealgate.company-servers): every connection is treated as inbound", null);
        }
        if (relay.inboundNextHop() == null || relay.inboundNextHop().isBlank()) {
            events.warning("queue", "No inbound next hop configured: inbound mail stays in the queue until"
                    + " sealgate.relay.inbound-next-hop names the company mail server (host:port)", null);
        }
        try {
            int orphans = spool.deleteOrphans(queue.contentInUse(), Duration.ofHours(1));
            if (orphans > 0) {
                log.info("Deleted {} spool files that no queued message refers to (left by an interrupted reception)", orphans);
            }
        } catch (IOException e) {
            events.warning("queue", "Could not clean up the spool directory", e.getMessage());
        }
        delivery.start();
        if (smtp.enabled()) {
            listener.start();
            log.info("SMTP listening on port {}", listener.port());
        }
        running = true;
    }

    @Override
    public void stop() {
        if (smtp.enabled()) {
            listener.stop();
        }
        delivery.stop();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
