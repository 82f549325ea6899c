package dev.sealgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Blocking work never runs on an event-loop thread: BlockHound is armed for every service test. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class NonBlockingEventLoopTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sealgate.data-dir", () -> dataDir.toString());
        registry.add("sealgate.admin.api-key", () -> "blockhound-test-key-0123");
    }

    @Autowired
    WebTestClient client;

    @Test
    void shouldCatchBlockingCallOnANonBlockingThread() {
        Mono<Object> sleepOnParallel = Mono.fromCallable(() -> {
            Thread.sleep(1);
            return (Object) "slept";
        }).subscribeOn(Schedulers.parallel());

        StepVerifier.create(sleepOnParallel)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(BlockingOperationError.class))
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void shouldAllowTheSameCallThroughBlocking() {
        StepVerifier.create(Blocking.call(() -> {
                    Thread.sleep(1);
                    return "slept";
                }).publishOn(Schedulers.parallel()))
                .expectNext("slept")
                .verifyComplete();
    }

    @Test
    void shouldServeJdbcBackedEndpointWithoutBlockingTheEventLoop() {
        client.get().uri("/api/v1/admin/events").header("X-Api-Key", "blockhound-test-key-0123").exchange()
                .expectStatus().isOk();
    }
}
