package dev.sealgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.certprovider.testkit.MutableClock;
import dev.sealgate.cluster.MemoryCounters;
import dev.sealgate.cluster.SharedCounters;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The portal's limits over a sliding window, counted in shared counters; fixed instants. */
class RateLimiterTest {

    private static final Instant WINDOW_START = Instant.parse("2026-08-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(WINDOW_START.plusSeconds(50));
    private final SharedCounters counters = new MemoryCounters();

    private RateLimiter limiter() {
        return new RateLimiter("test", 5, Duration.ofMinutes(1), clock, counters);
    }

    @Test
    void shouldRefuseOverTheLimitAndSayExhaustedWithoutCounting() {
        RateLimiter limiter = limiter();
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire("192.0.2.1")).isTrue();
        }

        assertThat(limiter.exhausted("192.0.2.1")).isTrue();
        assertThat(limiter.tryAcquire("192.0.2.1")).isFalse();
        assertThat(limiter.tryAcquire("192.0.2.2")).as("another client").isTrue();
    }

    @Test
    void shouldNotResetAtTheBoundaryOfAFixedWindow() {
        RateLimiter limiter = limiter();
        for (int i = 0; i < 5; i++) {
            limiter.tryAcquire("192.0.2.1");
        }

        clock.advance(Duration.ofSeconds(11));

        assertThat(limiter.tryAcquire("192.0.2.1")).as("next fixed window, 50 of the last 60 s full").isFalse();
    }

    @Test
    void shouldAllowAgainOnceTheWindowSlidPastTheEvents() {
        RateLimiter limiter = limiter();
        for (int i = 0; i < 5; i++) {
            limiter.tryAcquire("192.0.2.1");
        }

        clock.advance(Duration.ofSeconds(75));

        assertThat(limiter.exhausted("192.0.2.1")).isFalse();
        assertThat(limiter.tryAcquire("192.0.2.1")).isTrue();
    }

    @Test
    void shouldHoldTheLimitAcrossNodesThatShareTheCounters() {
        RateLimiter nodeA = limiter();
        RateLimiter nodeB = limiter();
        for (int i = 0; i < 3; i++) {
            nodeA.tryAcquire("192.0.2.1");
        }

        assertThat(nodeB.tryAcquire("192.0.2.1")).isTrue();
        assertThat(nodeB.tryAcquire("192.0.2.1")).isTrue();
        assertThat(nodeB.tryAcquire("192.0.2.1")).as("sixth in the cluster").isFalse();
    }
}
