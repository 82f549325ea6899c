package dev.sealgate.web;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The one way a reactive endpoint calls blocking code (JDBC, fsync, crypto on large input): on the
 * bounded-elastic scheduler, never on a Netty event-loop thread.
 *
 * <p>Started work is never interrupted. A caller that goes away (the client closed the connection
 * or timed out) cancels the subscription; with {@code subscribeOn} that cancel interrupted the
 * worker thread, and an interrupt in the middle of a file write makes the embedded H2 close the
 * whole database ("The database has been closed") — one impatient client stopped the gateway. The
 * work now runs to its end (it is short and transactional) and its result is dropped.
 */
public final class Blocking {

    /** Bounded-elastic threads, handed tasks without keeping a handle that could interrupt them. */
    private static final Executor UNINTERRUPTED = task -> Schedulers.boundedElastic().schedule(task);

    private Blocking() {
    }

    public static <T> Mono<T> call(Callable<T> work) {
        return Mono.fromFuture(() -> CompletableFuture.supplyAsync(() -> {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, UNINTERRUPTED));
    }

    public static Mono<Void> run(Runnable work) {
        return call(() -> {
            work.run();
            return null;
        });
    }
}
