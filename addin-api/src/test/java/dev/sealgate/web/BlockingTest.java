package dev.sealgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * A client that goes away (closes the connection, times out) cancels its request while the blocking
 * work runs. That work must not be interrupted: the embedded H2 closes the whole database when a
 * thread is interrupted in the middle of a file write ("The database has been closed"), so one
 * impatient client would stop the gateway. Seen in the suite: a cancelled admin request's audit
 * INSERT was interrupted and every later request of that service failed.
 */
class BlockingTest {

    @Test
    void shouldLetBlockingWorkFinishUninterruptedWhenItsCallerCancels() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();

        Disposable request = Blocking.call(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            interrupted.compareAndSet(false, Thread.currentThread().isInterrupted());
            finished.countDown();
            return "written";
        }).subscribe();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

        request.dispose();
        Thread.sleep(200);
        release.countDown();

        assertThat(finished.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted).as("the work was interrupted by the caller's cancel").isFalse();
    }

    @Test
    void shouldStillGiveResultsEmptinessAndErrorsAsBefore() {
        assertThat(Blocking.call(() -> 42).block(Duration.ofSeconds(30))).isEqualTo(42);
        assertThat(Blocking.call(() -> null).blockOptional(Duration.ofSeconds(30))).isEmpty();
        IllegalArgumentException refused = new IllegalArgumentException("parameter 'x' must be a whole number");
        assertThat(Blocking.call(() -> {
            throw refused;
        }).onErrorResume(e -> reactor.core.publisher.Mono.just(e)).block(Duration.ofSeconds(30))).isSameAs(refused);
        java.io.IOException checked = new java.io.IOException("disk full");
        assertThat(Blocking.call(() -> {
            throw checked;
        }).onErrorResume(e -> reactor.core.publisher.Mono.just(e)).block(Duration.ofSeconds(30))).isSameAs(checked);
        AtomicBoolean ran = new AtomicBoolean();
        Blocking.run(() -> ran.set(true)).block(Duration.ofSeconds(30));
        assertThat(ran).isTrue();
    }
}
