package dev.sealgate.gateway;

import dev.sealgate.queue.QueueRepository;
import dev.sealgate.queue.Spool;
import dev.sealgate.queue.SpoolMigration;
import dev.sealgate.tracking.EventLog;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Moves the bodies of the spool directory of older versions into the blob store at start, before
 * the delivery workers and the SMTP listener start ({@link GatewayLifecycle} runs in a later phase).
 */
class SpoolUpgrade implements SmartLifecycle {

    private final Path legacyDirectory;
    private final Spool spool;
    private final QueueRepository queue;
    private final EventLog events;
    private volatile boolean running;

    SpoolUpgrade(Path legacyDirectory, Spool spool, QueueRepository queue, EventLog events) {
        this.legacyDirectory = legacyDirectory;
        this.spool = spool;
        this.queue = queue;
        this.events = events;
    }

    @Override
    public void start() {
        SpoolMigration.Result result = SpoolMigration.run(legacyDirectory, spool, queue, Duration.ofHours(1));
        if (result.moved() > 0) {
            events.info("queue", "Moved " + result.moved() + " queued message bodies from " + legacyDirectory
                    + " into the blob store (encrypted at rest)", null);
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before {@link GatewayLifecycle} (default phase). */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 1;
    }
}
