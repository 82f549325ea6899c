package dev.sealgate.testkit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Reads message tracking through the admin API, as an admin would. */
public final class AdminTracking {

    private AdminTracking() {
    }

    /**
     * The crypto operations tracked for the newest message to {@code recipient}, waiting up to 15 s
     * for the record to appear.
     */
    @SuppressWarnings("unchecked")
    public static String cryptoOperations(WebTestClient client, String apiKey, String recipient) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(deadline)) {
            List<Map<String, Object>> found = client.get()
                    .uri(b -> b.path("/api/v1/admin/tracking").queryParam("recipient", recipient).build())
                    .header("X-Api-Key", apiKey).exchange()
                    .expectStatus().isOk()
                    .expectBodyList(Map.class).returnResult().getResponseBody().stream().map(m -> (Map<String, Object>) m).toList();
            if (!found.isEmpty()) {
                Map<String, Object> record = client.get().uri("/api/v1/admin/tracking/{id}", found.get(0).get("id"))
                        .header("X-Api-Key", apiKey).exchange()
                        .expectStatus().isOk()
                        .expectBody(Map.class).returnResult().getResponseBody();
                return String.valueOf(record.get("cryptoOperations"));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no tracking record for " + recipient + " within 15 s");
    }
}
