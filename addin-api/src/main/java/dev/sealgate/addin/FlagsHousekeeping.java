package dev.sealgate.addin;

import dev.sealgate.flags.JdbcFlagsSigningKeys;
import dev.sealgate.flags.MessageFlagsStore;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Deletes stored flags and retired signing keys once no token can need them any more. */
@Component
class FlagsHousekeeping {

    private final MessageFlagsStore store;
    private final JdbcFlagsSigningKeys keys;

    FlagsHousekeeping(MessageFlagsStore store, JdbcFlagsSigningKeys keys) {
        this.store = store;
        this.keys = keys;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void cleanUp() {
        store.deleteExpired();
        keys.deleteExpiredKeys();
    }
}
