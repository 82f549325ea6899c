package dev.sealgate.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit for the queue: the messages that concurrent SMTP sessions hand over at the same
 * moment go into the database in one transaction, made durable by one sync, instead of one
 * transaction and one sync each. No thread of its own: a caller that finds no commit running
 * becomes the leader and commits everything waiting, its own work included; callers that arrive
 * meanwhile wait for the lock and find their work committed by the next leader. Every caller
 * returns only when its own work is committed and durable, or throws; so "250" still means "on
 * disk" (ADR 0110).
 *
 * <p>A failing batch is retried request by request, each in its own transaction, so that one bad
 * message (a constraint it breaks) fails only its own session.
 */
final class GroupCommit<T> {

    private static final class Request<T> {
        final T work;
        boolean done;
        RuntimeException failure;

        Request(T work) {
            this.work = work;
        }
    }

    private final Consumer<List<T>> commitDurably;
    private final ReentrantLock leader = new ReentrantLock();
    private final Object pendingLock = new Object();
    private List<Request<T>> pending = new ArrayList<>();

    /**
     * @param commitDurably commits all the given work in one transaction and makes it durable, or
     *                      throws having committed none of it
     */
    GroupCommit(Consumer<List<T>> commitDurably) {
        this.commitDurably = commitDurably;
    }

    /** Returns once the work is committed and durable; throws what committing it threw. */
    void commit(T work) {
        Request<T> request = new Request<>(work);
        synchronized (pendingLock) {
            pending.add(request);
        }
        leader.lock();
        try {
            if (!request.done) {
                List<Request<T>> batch;
                synchronized (pendingLock) {
                    batch = pending;
                    pending = new ArrayList<>();
                }
                try {
                    run(batch);
                } finally {
                    // an Error thrown past run() must not let a waiting caller take its work for committed
                    for (Request<T> r : batch) {
                        if (!r.done) {
                            r.failure = new IllegalStateException("the commit carrying this work was aborted");
                            r.done = true;
                        }
                    }
                }
            }
        } finally {
            leader.unlock();
        }
        if (request.failure != null) {
            throw request.failure;
        }
    }

    /** How many callers wait for the next commit (for tests that line callers up). */
    int waiting() {
        synchronized (pendingLock) {
            return pending.size();
        }
    }

    private void run(List<Request<T>> batch) {
        try {
            commitDurably.accept(batch.stream().map(r -> r.work).toList());
            batch.forEach(r -> r.done = true);
        } catch (RuntimeException batchFailure) {
            if (batch.size() == 1) {
                batch.get(0).failure = batchFailure;
                batch.get(0).done = true;
                return;
            }
            for (Request<T> r : batch) {
                try {
                    commitDurably.accept(List.of(r.work));
                } catch (RuntimeException e) {
                    r.failure = e;
                }
                r.done = true;
            }
        }
    }
}
