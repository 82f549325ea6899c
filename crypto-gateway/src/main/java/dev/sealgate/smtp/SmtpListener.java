package dev.sealgate.smtp;

import dev.sealgate.policy.Direction;
import dev.sealgate.policy.RelayPolicy;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The gateway's SMTP listener: SubEthaSMTP's session handling with the gateway's own MAIL, RCPT,
 * DATA, EHLO and STARTTLS ({@link GatewayCommands}), and a {@link ConnectionGuard} in front that
 * refuses clients over their limits before a session thread is started for them. Each connection
 * runs on its own thread of the library, never on a Netty event loop.
 */
public final class SmtpListener {

    private final SMTPServer server;

    /**
     * @param tls       the TLS setup for STARTTLS; null to offer no STARTTLS
     * @param refusals  told of every "Unable to relay", for counting and tracking
     * @param counters  the per-client rate counters (in memory, or shared by a cluster)
     * @param events    where refusals of hostile or broken clients are reported
     */
    public SmtpListener(SmtpSettings settings, RelayPolicy policy, MessageAcceptor acceptor, TlsSetup tls,
                        Consumer<RelayRefusal> refusals, ClientCounters counters, SmtpEvents events, Clock clock) {
        ConnectionGuard guard = new ConnectionGuard(settings, counters,
                client -> settings.limits().exemptCompanyServers() && policy.directionOf(client) == Direction.OUTBOUND, events, clock);
        this.server = SMTPServer.port(settings.port())
                .bindAddress(Optional.ofNullable(settings.bindAddress()))
                .hostName(settings.hostName())
                .softwareName("Sealgate")
                .maxConnections(settings.maxConnections())
                .connectionTimeout((int) settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .maxRecipients(settings.maxRecipients())
                .maxMessageSize((int) Math.min(settings.maxMessageSize(), Integer.MAX_VALUE))
                .enableTLS(tls != null)
                .serverSocketFactory(guard::serverSocket)
                .messageHandlerFactory(context -> new ReceivingSession(context, policy, acceptor, refusals, events, guard))
                .build();
        GatewayCommands.install(server.getCommandHandler(), settings, tls, events);
    }

    public void start() {
        server.start();
    }

    public void stop() {
        server.stop();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.getPortAllocated();
    }
}
