package dev.sealgate.addin;

import dev.sealgate.flags.JdbcFlagsSigningKeys;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Admin: rotate the key flags tokens are signed with (guarded by the admin API key like every /api/v1/admin path). */
@RestController
class FlagsKeyAdminController {

    private final JdbcFlagsSigningKeys keys;
    private final EventLog eventLog;

    FlagsKeyAdminController(JdbcFlagsSigningKeys keys, EventLog eventLog) {
        this.keys = keys;
        this.eventLog = eventLog;
    }

    @PostMapping("/api/v1/admin/addin/flags-key/rotate")
    @Operation(summary = "Create a new flags signing key; tokens signed with the old one stay valid until they expire")
    Mono<Map<String, String>> rotate() {
        return Blocking.call(() -> {
            String kid = keys.rotate();
            eventLog.info("addin", "Flags signing key rotated", "new key id " + kid);
            return Map.of("kid", kid);
        });
    }
}
