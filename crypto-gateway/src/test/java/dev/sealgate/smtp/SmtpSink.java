package dev.sealgate.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.CommandHandler;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * A real SMTP server for tests that records what it receives: a second SubEthaSMTP instance on
 * loopback, with or without DSN and STARTTLS advertised. Recipients whose local part starts with
 * {@code reject} are refused with 550 5.1.1; those starting with {@code defer} get 451 4.2.0 for
 * their first attempts ({@link #deferFirst}).
 */
public final class SmtpSink implements AutoCloseable {

    /** A message as the sink got it. */
    public record Received(String sender, List<String> recipients, byte[] content, boolean overTls) {
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private final List<Received> messages = new CopyOnWriteArrayList<>();
    private final List<String> commandLines = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> deferrals = new ConcurrentHashMap<>();
    private final SMTPServer server;
    private volatile int deferFirst = 1;
    private volatile Duration delayPerMessage = Duration.ZERO;

    private SmtpSink(boolean dsn, TlsSetup tls) {
        this(0, dsn, tls, true);
    }

    private SmtpSink(int port, boolean dsn, TlsSetup tls) {
        this(port, dsn, tls, true);
    }

    private SmtpSink(int port, boolean dsn, TlsSetup tls, boolean eightBitMime) {
        SMTPServer.Builder builder = SMTPServer.port(port).bindAddress(InetAddress.getLoopbackAddress()).hostName("sink.test")
                .messageHandlerFactory(this::handler);
        if (tls != null) {
            builder.enableTLS(true);
        }
        server = builder.build();
        CommandHandler commands = server.getCommandHandler();
        Command ehlo = commands.getCommand("EHLO");
        for (String verb : List.of("MAIL", "RCPT")) {
            Command original = commands.getCommand(verb);
            commands.addCommand(new Recording(original, commandLines));
        }
        if (dsn || !eightBitMime) {
            commands.addCommand(new Advertise(ehlo, dsn, eightBitMime));
        }
        if (tls != null) {
            commands.addCommand(new SinkStartTls(tls));
        }
        server.start();
    }

    /** A sink without DSN and STARTTLS. */
    public static SmtpSink plain() {
        return new SmtpSink(false, null);
    }

    /** A sink without DSN and STARTTLS on a given port (for a next hop that must come up later). */
    public static SmtpSink plainOn(int port) {
        return new SmtpSink(port, false, null);
    }

    /** A sink whose EHLO does not announce 8BITMIME (a 7-bit next hop, RFC 6152). */
    public static SmtpSink without8BitMime() {
        return new SmtpSink(0, false, null, false);
    }

    /** A sink that advertises DSN. */
    public static SmtpSink withDsn() {
        return new SmtpSink(true, null);
    }

    /** A sink that offers STARTTLS with a self-signed certificate generated into {@code dir}. */
    public static SmtpSink withStartTls(Path dir, dev.sealgate.tracking.EventLog events) {
        return new SmtpSink(false, TlsSetup.load(null, null, dir, "sink.test", events));
    }

    public int port() {
        return server.getPortAllocated();
    }

    public String hostAndPort() {
        return "127.0.0.1:" + port();
    }

    public List<Received> messages() {
        return List.copyOf(messages);
    }

    /** The MAIL and RCPT command lines as the sink got them (to see DSN parameters). */
    public List<String> commandLines() {
        return List.copyOf(commandLines);
    }

    /** Makes the sink slow: it waits this long before it answers each DATA. */
    public void delayPerMessage(Duration delay) {
        this.delayPerMessage = delay;
    }

    /** How many attempts a "defer..." recipient gets 451 before it is accepted. */
    public void deferFirst(int attempts) {
        this.deferFirst = attempts;
    }

    public List<Received> awaitMessages(int count, Duration timeout) throws InterruptedException {
        return await(m -> true, count, timeout);
    }

    public List<Received> await(Predicate<Received> filter, int count, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            List<Received> matching = messages.stream().filter(filter).toList();
            if (matching.size() >= count) {
                return matching;
            }
            Thread.sleep(20);
        }
        return messages.stream().filter(filter).toList();
    }

    public Optional<Received> find(Predicate<Received> filter) {
        return messages.stream().filter(filter).findFirst();
    }

    @Override
    public void close() {
        server.stop();
    }

    private MessageHandler handler(MessageContext context) {
        return new MessageHandler() {
            private String sender;
            private final List<String> recipients = new ArrayList<>();

            @Override
            public void from(String from) {
                sender = from;
            }

            @Override
            public void recipient(String recipient) throws RejectException {
                String local = recipient.substring(0, recipient.indexOf('@'));
                if (local.startsWith("reject")) {
                    throw new RejectException(550, "5.1.1 <" + recipient + ">: user unknown");
                }
                if (local.startsWith("defer")
                        && deferrals.computeIfAbsent(recipient, r -> new AtomicInteger()).incrementAndGet() <= deferFirst) {
                    throw new RejectException(451, "4.2.0 <" + recipient + ">: mailbox busy, try later");
                }
                recipients.add(recipient);
            }

            @Override
            public String data(InputStream data) throws IOException {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                data.transferTo(out);
                try {
                    Thread.sleep(delayPerMessage.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                messages.add(new Received(sender, List.copyOf(recipients), out.toByteArray(), ((Session) context).isTLSStarted()));
                return null;
            }

            @Override
            public void done() {
                // nothing to release
            }
        };
    }

    private record Recording(Command delegate, List<String> lines) implements Command {
        @Override
        public void execute(String commandString, Session session) throws IOException, org.subethamail.smtp.DropConnectionException {
            lines.add(commandString);
            delegate.execute(commandString, session);
        }

        @Override
        public org.subethamail.smtp.internal.server.HelpMessage getHelp() throws org.subethamail.smtp.internal.server.CommandException {
            return delegate.getHelp();
        }

        @Override
        public String getName() {
            return delegate.getName();
        }
    }

    /** An EHLO that announces exactly the chosen extensions. */
    private record Advertise(Command ehlo, boolean dsn, boolean eightBitMime) implements Command {
        @Override
        public void execute(String commandString, Session session) throws IOException, org.subethamail.smtp.DropConnectionException {
            String[] args = commandString.trim().split("\\s+");
            session.resetMailTransaction();
            session.setHelo(args.length > 1 ? args[1] : "unknown");
            session.sendResponse("250-sink.test\r\n" + (eightBitMime ? "250-8BITMIME\r\n" : "") + (dsn ? "250-DSN\r\n" : "")
                    + "250 Ok");
        }

        @Override
        public org.subethamail.smtp.internal.server.HelpMessage getHelp() throws org.subethamail.smtp.internal.server.CommandException {
            return ehlo.getHelp();
        }

        @Override
        public String getName() {
            return "EHLO";
        }
    }

    private record SinkStartTls(TlsSetup tls) implements Command {
        @Override
        public void execute(String commandString, Session session) throws IOException {
            session.sendResponse("220 2.0.0 Ready to start TLS");
            javax.net.ssl.SSLSocket s = tls.serverSocket(session.getSocket());
            s.startHandshake();
            session.setSocket(s);
            session.resetSmtpProtocol();
            session.setTlsStarted(true);
        }

        @Override
        public org.subethamail.smtp.internal.server.HelpMessage getHelp() {
            return null;
        }

        @Override
        public String getName() {
            return "STARTTLS";
        }
    }
}
