package dev.sealgate.monitoring;

import dev.sealgate.blob.BlobInfo;
import dev.sealgate.blob.BlobStore;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/blobStore}: writes a small probe object, reads it back through the same
 * encryption and integrity check every spooled message takes, and deletes it. DOWN when any of the
 * three fails: a node that cannot store a blob cannot accept mail (it answers 451). The probe's key
 * is new on every check, so that nodes sharing one object store never read each other's probe.
 */
// the contributor's name is the bean name without "HealthIndicator": blobStore
@Component("blobStoreHealthIndicator")
class BlobStoreHealthIndicator implements HealthIndicator {

    static final String PREFIX = "health/";

    private final BlobStore store;

    BlobStoreHealthIndicator(BlobStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        String key = PREFIX + "probe-" + UUID.randomUUID();
        byte[] probe = ("sealgate health probe " + key).getBytes(StandardCharsets.UTF_8);
        String step = "write";
        try {
            BlobInfo written = store.put(key, out -> out.write(probe));
            step = "read";
            byte[] read;
            try (InputStream in = store.get(key, written)) {
                read = in.readAllBytes();
            }
            if (!Arrays.equals(read, probe)) {
                return Health.down().withDetail("probe", "read back " + read.length + " bytes that differ from the "
                        + probe.length + " written").build();
            }
            step = "delete";
            store.delete(key);
            return Health.up().withDetail("probe", "write, read and delete ok").build();
        } catch (Exception e) {
            // the message names the store's problem (permissions, bucket, credentials refused), never a secret
            return Health.down().withDetail("probe", step + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())).build();
        }
    }
}
