package dev.sealgate.smtp;

import dev.sealgate.tracking.EventLog;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The listener's refusals as events (source {@code smtp}): hostile or broken clients, smuggling
 * attempts, clients over their limits. The message names the client and the refusal, so that
 * the event log counts repeats per client ({@link EventLog}) instead of filling up. Refusals made
 * on the accept thread are reported by a background thread, so that a flood of connections never
 * waits for the database; when that thread falls more than a thousand reports behind, further
 * reports are dropped (the connections are still refused).
 */
public final class SmtpEvents implements AutoCloseable {

    private final EventLog events;
    private final ThreadPoolExecutor reporter;

    public SmtpEvents(EventLog events) {
        this.events = events;
        this.reporter = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1000),
                r -> {
                    Thread t = new Thread(r, "smtp-events");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.DiscardPolicy());
    }

    /** A command or message data refused because of what the client sent; on the session's thread. */
    void refused(String client, String helo, String reply) {
        events.warning("smtp", "Refused from " + client + ": " + reply, helo == null || helo.isEmpty() ? null : "HELO " + helo);
    }

    /** A connection refused or cut off because the client is over a limit; reported in the background. */
    void overLimit(String client, String reply) {
        reporter.execute(() -> events.warning("smtp", "Client " + client + " over its limit: " + reply, null));
    }

    @Override
    public void close() {
        reporter.shutdown();
    }
}
