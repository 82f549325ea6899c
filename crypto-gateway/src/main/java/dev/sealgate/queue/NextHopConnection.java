package dev.sealgate.queue;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.SocketFactory;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * An SMTP client connection to a next hop, on Jakarta Mail's (Angus) SMTP transport: connect,
 * EHLO, STARTTLS and reply parsing are Angus'; the transaction is ours, because the gateway must
 * pass each recipient's own NOTIFY and ORCPT and the envelope's RET and ENVID, which Angus' own
 * {@code sendMessage} cannot. One connection carries several transactions (a batch).
 */
final class NextHopConnection extends SMTPTransport {

    /** The reply to one RCPT or, for accepted recipients, to the end of DATA. */
    record RecipientReply(String address, int code, String reply) {
        boolean accepted() {
            return code >= 200 && code < 300;
        }

        boolean permanent() {
            return code >= 500;
        }

        String text() {
            return reply == null || reply.isBlank() ? Integer.toString(code) : reply.trim();
        }
    }

    /** The settings that make a Session; the few combinations in use are kept, see {@link #session}. */
    private record SessionKey(String heloName, boolean requireTls, int timeoutMillis) {
    }

    private static final ConcurrentMap<SessionKey, Session> SESSIONS = new ConcurrentHashMap<>();

    /**
     * Sockets to next hops with Nagle's algorithm off (ADR 0211). The end of DATA ("CRLF.CRLF") is a
     * small write after the body; with Nagle on it waited for the ACK of the body's last segment, which
     * the next hop delays (40 ms on Linux) because it has nothing to say before the dot: every message
     * cost a worker 40 ms, and 8 workers capped delivery at about 170 messages a second.
     */
    static final SocketFactory NO_DELAY_SOCKETS = new SocketFactory() {
        @Override
        public Socket createSocket() throws IOException {
            return noDelay(new Socket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(new Socket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(new Socket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(new Socket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return noDelay(new Socket(address, port, localAddress, localPort));
        }

        private static Socket noDelay(Socket socket) throws IOException {
            socket.setTcpNoDelay(true);
            return socket;
        }
    };

    private NextHopConnection(Session session) {
        super(session, new URLName("smtp", null, -1, null, null, null));
    }

    /**
     * @param requireTls whether STARTTLS is mandatory for this next hop (per domain by configuration)
     */
    static NextHopConnection open(String host, int port, String heloName, boolean requireTls, int timeoutMillis)
            throws MessagingException {
        NextHopConnection c = new NextHopConnection(session(heloName, requireTls, timeoutMillis));
        c.connect(host, port, null, null);
        return c;
    }

    /**
     * A Session per combination of settings, made once: {@code Session.getInstance} looks up its
     * providers through the class loader every time, which cost a quarter of the gateway's CPU in the
     * SMTP bench (bench/RESULTS.md). A Session holds only configuration; connections share it safely.
     */
    private static Session session(String heloName, boolean requireTls, int timeoutMillis) {
        return SESSIONS.computeIfAbsent(new SessionKey(heloName, requireTls, timeoutMillis), NextHopConnection::newSession);
    }

    private static Session newSession(SessionKey key) {
        String heloName = key.heloName();
        boolean requireTls = key.requireTls();
        int timeoutMillis = key.timeoutMillis();
        Properties p = new Properties();
        p.setProperty("mail.smtp.localhost", heloName);
        p.setProperty("mail.smtp.starttls.enable", "true");
        p.setProperty("mail.smtp.starttls.required", Boolean.toString(requireTls));
        // Opportunistic TLS encrypts against passive listeners; the peer's certificate is not
        // checked (as Postfix' "may"/"encrypt" levels), see docs/configuration/gateway.md.
        p.setProperty("mail.smtp.ssl.trust", "*");
        p.setProperty("mail.smtp.ssl.checkserveridentity", "false");
        p.setProperty("mail.smtp.ssl.protocols", "TLSv1.3 TLSv1.2");
        p.setProperty("mail.smtp.connectiontimeout", Integer.toString(timeoutMillis));
        p.setProperty("mail.smtp.timeout", Integer.toString(timeoutMillis));
        p.setProperty("mail.smtp.writetimeout", Integer.toString(timeoutMillis));
        p.setProperty("mail.smtp.quitwait", "false");
        p.put("mail.smtp.socketFactory", NO_DELAY_SOCKETS);
        return Session.getInstance(p);
    }

    boolean offersDsn() {
        return supportsExtension("DSN");
    }

    /** Runs one mail transaction; returns a reply per recipient. Throws when the connection broke. */
    synchronized List<RecipientReply> send(String sender, String ret, String envid, List<ClaimedRecipient> recipients,
                                           SpooledContent content) throws MessagingException, IOException {
        boolean dsn = offersDsn();
        boolean eightBit = EightBitContent.hasEightBit(content);
        byte[] sevenBit = null;
        if (eightBit && !supportsExtension("8BITMIME") && !EightBitContent.isSigned(content)) {
            // RFC 6152 3: convert for a next hop without 8BITMIME; signed content goes as is (ADR 0089)
            java.io.ByteArrayOutputStream converted = new java.io.ByteArrayOutputStream();
            EightBitContent.writeSevenBit(content, converted);
            sevenBit = converted.toByteArray();
        }
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(sender).append(">");
        if (supportsExtension("SIZE")) {
            mail.append(" SIZE=").append(sevenBit == null ? content.size() : sevenBit.length);
        }
        if (eightBit && supportsExtension("8BITMIME")) {
            mail.append(" BODY=8BITMIME");
        }
        if (dsn && ret != null) {
            mail.append(" RET=").append(ret);
        }
        if (dsn && envid != null) {
            mail.append(" ENVID=").append(envid);
        }
        List<RecipientReply> replies = new ArrayList<>();
        int code = simpleCommand(mail.toString());
        if (code != 250) {
            String reply = getLastServerResponse();
            recipients.forEach(r -> replies.add(new RecipientReply(r.address(), code, reply)));
            simpleCommand("RSET");
            return replies;
        }
        List<ClaimedRecipient> accepted = new ArrayList<>();
        for (ClaimedRecipient r : recipients) {
            StringBuilder rcpt = new StringBuilder("RCPT TO:<").append(r.address()).append(">");
            if (dsn && r.dsnNotify() != null) {
                rcpt.append(" NOTIFY=").append(r.dsnNotify());
            }
            if (dsn && r.orcpt() != null) {
                rcpt.append(" ORCPT=").append(r.orcpt());
            }
            int rc = simpleCommand(rcpt.toString());
            if (rc == 250 || rc == 251) {
                accepted.add(r);
            } else {
                replies.add(new RecipientReply(r.address(), rc, getLastServerResponse()));
            }
        }
        if (accepted.isEmpty()) {
            simpleCommand("RSET");
            return replies;
        }
        try {
            OutputStream out = data();
            try (InputStream in = sevenBit == null ? content.open() : new java.io.ByteArrayInputStream(sevenBit)) {
                in.transferTo(out);
            }
            finishData();
        } catch (MessagingException e) {
            int dataCode = getLastReturnCode();
            if (dataCode < 400) {
                throw e;
            }
            String reply = getLastServerResponse();
            accepted.forEach(r -> replies.add(new RecipientReply(r.address(), dataCode, reply)));
            simpleCommand("RSET");
            return replies;
        }
        String reply = getLastServerResponse();
        accepted.forEach(r -> replies.add(new RecipientReply(r.address(), 250, reply)));
        return replies;
    }
}
