package dev.sealgate.smtp;

import dev.sealgate.policy.Direction;
import dev.sealgate.policy.RelayDecision;
import dev.sealgate.policy.RelayPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.Session;

/** One mail transaction: the relay decisions at MAIL and RCPT, then the hand-over at DATA. */
final class ReceivingSession implements MessageHandler {

    private final Session session;
    private final RelayPolicy policy;
    private final MessageAcceptor acceptor;
    private final Consumer<RelayRefusal> refusals;
    private final SmtpEvents events;
    private final ConnectionGuard guard;
    private final InetAddress client;
    private final Direction direction;
    private final List<EnvelopeRecipient> recipients = new ArrayList<>();
    private String sender;
    private String ret;
    private String envid;

    ReceivingSession(MessageContext context, RelayPolicy policy, MessageAcceptor acceptor, Consumer<RelayRefusal> refusals,
                     SmtpEvents events, ConnectionGuard guard) {
        this.session = (Session) context;
        this.policy = policy;
        this.acceptor = acceptor;
        this.refusals = refusals;
        this.events = events;
        this.guard = guard;
        this.client = ((InetSocketAddress) context.getRemoteAddress()).getAddress();
        this.direction = policy.directionOf(client);
    }

    /** The 421 reply when the client is over its message rate; null when it may go on. */
    String overMessageRate() {
        return guard.checkMessage(client);
    }

    /** The 421 reply when the client is over its recipient rate; null when it may go on. */
    String overRecipientRate() {
        return guard.checkRecipient(client);
    }

    /** The client's time budget is now the one for message data. */
    void dataStarted() {
        guard.dataStarted(session.getRealRemoteAddress());
    }

    void mailFrom(String address, String ret, String envid) throws RejectException {
        RelayDecision decision = policy.checkSender(client, address);
        if (!decision.accepted()) {
            refuse(decision, address, null);
        }
        this.sender = address;
        this.ret = ret;
        this.envid = envid;
    }

    void rcptTo(String address, String dsnNotify, String orcpt) throws RejectException {
        RelayDecision decision = policy.checkRecipient(client, sender, address);
        if (!decision.accepted()) {
            refuse(decision, sender, address);
        }
        recipients.add(new EnvelopeRecipient(address, dsnNotify, orcpt, decision.ruleName()));
    }

    void refusedData(String reason) {
        events.refused(client.getHostAddress(), helo(), reason);
    }

    /** A command refused for what the client sent (control characters, improper pipelining). */
    void refusedCommand(String reply) {
        events.refused(client.getHostAddress(), helo(), reply);
    }

    @Override
    public void from(String from) throws RejectException {
        mailFrom(from, null, null);
    }

    @Override
    public void recipient(String recipient) throws RejectException {
        rcptTo(recipient, null, null);
    }

    @Override
    public String data(InputStream data) throws RejectException, IOException {
        String tlsProtocol = null;
        String tlsCipher = null;
        if (session.getSocket() instanceof SSLSocket tls) {
            tlsProtocol = tls.getSession().getProtocol();
            tlsCipher = tls.getSession().getCipherSuite();
        }
        Envelope envelope = new Envelope(sender, ret, envid, recipients, client.getHostAddress(), helo(),
                tlsProtocol, tlsCipher, direction);
        return acceptor.accept(envelope, data);
    }

    @Override
    public void done() {
        // nothing held per transaction beyond this object
    }

    private String helo() {
        return session.getHelo().orElse("");
    }

    private void refuse(RelayDecision decision, String sender, String recipient) throws RejectException {
        refusals.accept(new RelayRefusal(decision.rejection(), direction, client.getHostAddress(), helo(),
                sender, recipient, decision.reply()));
        throw new RejectException(550, decision.reply().substring(4));
    }
}
