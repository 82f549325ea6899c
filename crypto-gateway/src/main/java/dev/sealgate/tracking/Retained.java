package dev.sealgate.tracking;

import java.time.Duration;
import java.time.Instant;

/**
 * Records the housekeeping deletes once they are older than their retention: events, enrollment
 * log rows, download records, audit records. The service runs every {@code Retained} bean hourly
 * (see {@code TrackingRetention}); a new kind of record gets retention by providing one.
 */
public interface Retained {

    /** What is kept, for the log line ("events", "audit records"). */
    String name();

    /** How long a record is kept; zero or negative keeps them for ever. */
    Duration retention();

    /** Deletes the records older than the cutoff; returns how many went. */
    int deleteOlderThan(Instant cutoff);

    static Retained of(String name, Duration retention, java.util.function.ToIntFunction<Instant> delete) {
        return new Retained() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Duration retention() {
                return retention;
            }

            @Override
            public int deleteOlderThan(Instant cutoff) {
                return delete.applyAsInt(cutoff);
            }
        };
    }
}
