package dev.sealgate.admin;

import dev.sealgate.StartupSummary;
import dev.sealgate.queue.QueueRepository;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.tracking.EventQuery;
import dev.sealgate.tracking.TrackingRepository;
import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Operation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * One download with what support asks for (the reference product has admins collect these by
 * hand): version and start-up summary, effective settings without secrets, recent events, queue and
 * held-mail summaries, the tracking records of chosen messages, and the log tail with secrets masked.
 */
@RestController
@RequestMapping("/api/v1/admin/support-bundle")
class SupportBundleController {

    static final int LOG_TAIL_BYTES = 2 * 1024 * 1024;
    private static final Pattern SECRET_IN_LOG = Pattern.compile(
            "(?i)((?:password|passwd|secret|token|api[-_.]?key|master[-_.]?key)\\s*[=:]\\s*)(\\S+)|(Bearer\\s+)([A-Za-z0-9._~+/=-]+)");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final ConfigurableEnvironment environment;
    private final EffectiveSettings settings;
    private final EventLog events;
    private final QueueRepository queue;
    private final TrackingRepository tracking;
    private final Clock clock;
    private final ObjectWriter json;

    SupportBundleController(ConfigurableEnvironment environment, EffectiveSettings settings, EventLog events, QueueRepository queue,
                            TrackingRepository tracking, Clock clock, JsonMapper mapper) {
        this.environment = environment;
        this.settings = settings;
        this.events = events;
        this.queue = queue;
        this.tracking = tracking;
        this.clock = clock;
        this.json = mapper.writerWithDefaultPrettyPrinter();
    }

    @GetMapping(produces = "application/zip")
    @Operation(summary = "A zip for support: version, settings without secrets, recent events, queues, held mail,"
            + " tracking of the given messages (message=id, repeatable), log tail with secrets masked")
    Mono<ResponseEntity<byte[]>> bundle(@RequestParam(name = "message", required = false) List<String> messages) {
        return Blocking.call(() -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                StartupSummary summary = StartupSummary.of(environment);
                String text = String.join("\n", summary.lines()) + "\n"
                        + String.join("\n", summary.warnings().stream().map(w -> "warning: " + w).toList()) + "\n";
                add(zip, "summary.txt", text.getBytes(StandardCharsets.UTF_8));
                add(zip, "settings.json", json.writeValueAsBytes(settings.all()));
                add(zip, "events.json", json.writeValueAsBytes(events.find(new EventQuery(null, null, null, null, 1000))));
                add(zip, "queues.json", json.writeValueAsBytes(queue.queues()));
                add(zip, "queued-messages.json", json.writeValueAsBytes(queue.queued(null, 1000)));
                add(zip, "held.json", json.writeValueAsBytes(queue.held()));
                for (String id : messages == null ? List.<String>of() : messages) {
                    tracking.find(id).ifPresent(record -> add(zip, "tracking/" + id.replaceAll("[^A-Za-z0-9._-]", "_") + ".json",
                            json.writeValueAsBytes(record)));
                }
                add(zip, "log-tail.txt", logTail());
            }
            return ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType("application/zip"))
                    .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                            .filename("sealgate-support-" + STAMP.format(clock.instant()) + ".zip").build().toString())
                    .body(bytes.toByteArray());
        });
    }

    private byte[] logTail() throws IOException {
        String name = environment.getProperty("logging.file.name");
        if (name == null || name.isBlank() || !Files.isReadable(Path.of(name))) {
            return "(no log file: logging.file.name is not set or not readable)\n".getBytes(StandardCharsets.UTF_8);
        }
        try (RandomAccessFile file = new RandomAccessFile(name, "r")) {
            long start = Math.max(0, file.length() - LOG_TAIL_BYTES);
            byte[] tail = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(tail);
            return mask(new String(tail, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Masks what looks like a secret in a log line; the log should hold none, this is the second fence. */
    static String mask(String text) {
        return SECRET_IN_LOG.matcher(text).replaceAll(m -> m.group(1) != null
                ? java.util.regex.Matcher.quoteReplacement(m.group(1)) + "***"
                : java.util.regex.Matcher.quoteReplacement(m.group(3)) + "***");
    }

    private static void add(ZipOutputStream zip, String name, byte[] content) {
        try {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content);
            zip.closeEntry();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
