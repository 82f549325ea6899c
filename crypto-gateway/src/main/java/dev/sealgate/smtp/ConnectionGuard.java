package dev.sealgate.smtp;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Keeps one client address from taking the listener: per-address limits on concurrent connections
 * and on the connection, message and recipient rates ({@link ClientLimits}), and a time budget per
 * command line and per message data that a client trickling one byte a second cannot stretch.
 *
 * <p>Connection limits are checked on the listener's accept thread, in the server socket's
 * {@code accept}: a client over a limit gets {@code 421 4.7.0} and is closed before a session
 * thread is started for it, so clients from other addresses are still served. The accept loop
 * never waits for the database: counts are in {@link ClientCounters}, events go out in the
 * background ({@link SmtpEvents#overLimit}).
 */
final class ConnectionGuard {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final String hostName;
    private final int maxConnections;
    private final Duration idleTimeout;
    private final ClientLimits limits;
    private final ClientCounters counters;
    private final Predicate<InetAddress> exempt;
    private final SmtpEvents events;
    private final Clock clock;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<InetAddress, AtomicInteger> openPerClient = new ConcurrentHashMap<>();
    private final Map<SocketAddress, GuardedSocket> sockets = new ConcurrentHashMap<>();

    /** @param exempt clients the per-address limits do not apply to (the company servers, when so configured) */
    ConnectionGuard(SmtpSettings settings, ClientCounters counters, Predicate<InetAddress> exempt, SmtpEvents events, Clock clock) {
        this.hostName = settings.hostName();
        this.maxConnections = settings.maxConnections();
        this.idleTimeout = settings.idleTimeout();
        this.limits = settings.limits();
        this.counters = counters;
        this.exempt = exempt;
        this.events = events;
        this.clock = clock;
    }

    /** The server socket the listener accepts on: unbound, the library binds it. */
    ServerSocket serverSocket() throws IOException {
        return new GuardedServerSocket();
    }

    /** The reply when the client may not start another message now; null when it may. */
    String checkMessage(InetAddress client) {
        return checkRate("messages", client, limits.messagesPerMinute(), "too many messages");
    }

    /** The reply when the client may not add another recipient now; null when it may. */
    String checkRecipient(InetAddress client) {
        return checkRate("recipients", client, limits.recipientsPerMinute(), "too many recipients");
    }

    /** From now on the connection has the DATA budget, until the gateway's next reply. */
    void dataStarted(SocketAddress client) {
        GuardedSocket socket = sockets.get(client);
        if (socket != null) {
            socket.arm(limits.dataTimeout());
        }
    }

    private String checkRate(String counter, InetAddress client, int limit, String what) {
        if (limit <= 0 || exempt.test(client)) {
            return null;
        }
        long count = counters.increment(counter, client.getHostAddress(), clock.instant(), MINUTE);
        if (count <= limit) {
            return null;
        }
        String reply = "421 4.7.0 " + hostName + " Error: " + what + " from " + client.getHostAddress()
                + " (more than " + limit + " per minute), try again later";
        if (count == limit + 1) {
            events.overLimit(client.getHostAddress(), reply);
        }
        return reply;
    }

    /** The reply for a new connection over a limit; null when it may go on. */
    private String admit(InetAddress client) {
        if (maxConnections > 0 && open.get() >= maxConnections) {
            return "421 4.7.0 " + hostName + " Too many connections, try again later";
        }
        if (exempt.test(client)) {
            return null;
        }
        int perClient = limits.connectionsPerClient();
        if (perClient > 0 && openPerClient.getOrDefault(client, new AtomicInteger()).get() >= perClient) {
            return "421 4.7.0 " + hostName + " Error: too many connections from " + client.getHostAddress()
                    + " (at most " + perClient + " at a time), try again later";
        }
        int rate = limits.connectionsPerMinute();
        if (rate > 0 && counters.increment("connections", client.getHostAddress(), clock.instant(), MINUTE) > rate) {
            return "421 4.7.0 " + hostName + " Error: too many connections from " + client.getHostAddress()
                    + " (more than " + rate + " per minute), try again later";
        }
        return null;
    }

    private void opened(GuardedSocket socket) {
        open.incrementAndGet();
        openPerClient.computeIfAbsent(socket.getInetAddress(), a -> new AtomicInteger()).incrementAndGet();
        sockets.put(socket.remote, socket);
    }

    private void closed(GuardedSocket socket) {
        open.decrementAndGet();
        sockets.remove(socket.remote);
        openPerClient.computeIfPresent(socket.client, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    private final class GuardedServerSocket extends ServerSocket {

        GuardedServerSocket() throws IOException {
            super();
        }

        @Override
        public Socket accept() throws IOException {
            while (true) {
                GuardedSocket socket = new GuardedSocket();
                implAccept(socket);
                socket.accepted();
                String refusal = admit(socket.client);
                if (refusal == null) {
                    opened(socket);
                    return socket;
                }
                refuse(socket, refusal);
            }
        }

        private void refuse(GuardedSocket socket, String reply) {
            try (socket) {
                // a fresh socket's send buffer is empty: this write does not block the accept loop
                socket.rawOutput().write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // the client is gone already; nothing to tell it
            }
            events.overLimit(socket.client.getHostAddress(), reply);
        }
    }

    /**
     * A client connection with a deadline: every reply the gateway writes gives the client the
     * command budget for its next line, the 354 of DATA gives it the data budget
     * ({@link #dataStarted}). Each read waits at most until the deadline (and at most the idle
     * timeout); past it, the read fails with a timeout and the session ends with a 421.
     */
    private final class GuardedSocket extends Socket {
        private final AtomicBoolean released = new AtomicBoolean();
        private InetAddress client;
        private SocketAddress remote;
        private volatile long deadline = Long.MAX_VALUE;
        private InputStream input;
        private OutputStream output;

        GuardedSocket() throws SocketException {
            super((SocketImpl) null);
        }

        void accepted() throws IOException {
            client = getInetAddress();
            remote = getRemoteSocketAddress();
            input = new BudgetInput(super.getInputStream());
            output = new ArmingOutput(super.getOutputStream());
            arm(limits.commandTimeout());
        }

        OutputStream rawOutput() throws IOException {
            return super.getOutputStream();
        }

        void arm(Duration budget) {
            deadline = System.nanoTime() + budget.toNanos();
        }

        @Override
        public InputStream getInputStream() {
            return input;
        }

        @Override
        public OutputStream getOutputStream() {
            return output;
        }

        @Override
        public synchronized void close() throws IOException {
            try {
                super.close();
            } finally {
                if (remote != null && released.compareAndSet(false, true) && sockets.get(remote) == this) {
                    closed(this);
                }
            }
        }

        private final class BudgetInput extends FilterInputStream {
            BudgetInput(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                waitAtMostUntilDeadline();
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                waitAtMostUntilDeadline();
                return super.read(b, off, len);
            }

            private void waitAtMostUntilDeadline() throws IOException {
                long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (remainingMillis <= 0) {
                    throw new SocketTimeoutException("the client took longer than its time budget");
                }
                long idle = idleTimeout.toMillis();
                setSoTimeout((int) Math.min(Integer.MAX_VALUE, idle > 0 ? Math.min(idle, remainingMillis) : remainingMillis));
            }
        }

        private final class ArmingOutput extends FilterOutputStream {
            ArmingOutput(OutputStream out) {
                super(out);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                arm(limits.commandTimeout());
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                arm(limits.commandTimeout());
            }
        }
    }
}
