package dev.sealgate.admin;

import dev.sealgate.tracking.MailFlow;
import dev.sealgate.tracking.TrackingRepository;
import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Mail flow figures for the console's overview. */
@RestController
@RequestMapping("/api/v1/admin/mail-flow")
class OverviewController {

    private final TrackingRepository tracking;
    private final Clock clock;

    OverviewController(TrackingRepository tracking, Clock clock) {
        this.tracking = tracking;
        this.clock = clock;
    }

    /**
     * @param window the whole window
     * @param slices the window cut into equal slices, oldest first (hours for a day, days for a week)
     * @param crypto the window's crypto operations per kind (sign, encrypt, decrypt, verify), then per
     *               result word (ok, skipped, failed, no-key, invalid, untrusted, ...)
     */
    record Flow(MailFlow window, List<MailFlow> slices, Map<String, Map<String, Long>> crypto) {
    }

    @GetMapping
    @Operation(summary = "Messages received in the last 24 hours (period=day) or 7 days (period=week), by direction and status, and their crypto operations by kind and result")
    Mono<Flow> flow(@RequestParam(defaultValue = "day") String period) {
        Duration slice = switch (period) {
            case "day" -> Duration.ofHours(1);
            case "week" -> Duration.ofDays(1);
            default -> throw new IllegalArgumentException("parameter 'period' must be one of day, week, got '" + period + "'");
        };
        int count = period.equals("day") ? 24 : 7;
        return Blocking.call(() -> {
            Instant end = clock.instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
            Instant start = end.minus(slice.multipliedBy(count));
            List<MailFlow> slices = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                slices.add(tracking.flow(start.plus(slice.multipliedBy(i)), start.plus(slice.multipliedBy(i + 1))));
            }
            return new Flow(tracking.flow(start, end), slices, tracking.cryptoFlow(start, end));
        });
    }
}
