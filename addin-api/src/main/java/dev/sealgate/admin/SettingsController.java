package dev.sealgate.admin;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The effective configuration, without secrets, with where each value came from. */
@RestController
@RequestMapping("/api/v1/admin/settings")
class SettingsController {

    private final EffectiveSettings settings;

    SettingsController(EffectiveSettings settings) {
        this.settings = settings;
    }

    @GetMapping
    @Operation(summary = "Every sealgate.*, server.*, management.* and logging.* value in effect, with its origin; secrets are"
            + " shown as '(set, not shown)'")
    Mono<List<EffectiveSettings.Setting>> settings() {
        return Mono.fromSupplier(settings::all);
    }
}
