package dev.sealgate.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    private final List<List<String>> commits = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService sessions = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopSessions() {
        sessions.shutdownNow();
    }

    @Test
    void shouldCommitTheWorkOfSessionsThatArriveDuringACommitInOneBatch() throws Exception {
        CountDownLatch firstCommitStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstCommit = new CountDownLatch(1);
        GroupCommit<String> group = new GroupCommit<>(batch -> {
            if (batch.contains("first")) {
                firstCommitStarted.countDown();
                await(releaseFirstCommit);
            }
            commits.add(batch);
        });
        Future<?> first = sessions.submit(() -> group.commit("first"));
        firstCommitStarted.await();
        List<Future<?>> others = new ArrayList<>();
        for (String work : List.of("b", "c", "d", "e", "f")) {
            others.add(sessions.submit(() -> group.commit(work)));
        }
        while (group.waiting() < 5) {
            Thread.onSpinWait();
        }

        releaseFirstCommit.countDown();
        first.get();
        for (Future<?> other : others) {
            other.get();
        }

        assertThat(commits).hasSize(2);
        assertThat(commits.get(0)).containsExactly("first");
        assertThat(commits.get(1)).containsExactlyInAnyOrder("b", "c", "d", "e", "f");
    }

    @Test
    void shouldFailOnlyTheSessionWhoseWorkBreaksTheBatch() throws Exception {
        CountDownLatch firstCommitStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstCommit = new CountDownLatch(1);
        GroupCommit<String> group = new GroupCommit<>(batch -> {
            if (batch.contains("first")) {
                firstCommitStarted.countDown();
                await(releaseFirstCommit);
            }
            if (batch.contains("bad")) {
                throw new IllegalStateException("duplicate key " + batch);
            }
            commits.add(batch);
        });
        Future<?> first = sessions.submit(() -> group.commit("first"));
        firstCommitStarted.await();
        Future<?> good = sessions.submit(() -> group.commit("good"));
        Future<?> bad = sessions.submit(() -> group.commit("bad"));
        Future<?> alsoGood = sessions.submit(() -> group.commit("also good"));
        while (group.waiting() < 3) {
            Thread.onSpinWait();
        }

        releaseFirstCommit.countDown();
        first.get();
        good.get();
        alsoGood.get();

        assertThatThrownBy(bad::get).hasRootCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("duplicate key [bad]");
        assertThat(commits).containsExactlyInAnyOrder(List.of("first"), List.of("good"), List.of("also good"));
    }

    @Test
    void shouldThrowWhatTheCommitThrewToALoneSession() {
        GroupCommit<String> group = new GroupCommit<>(batch -> {
            throw new IllegalStateException("could not sync the embedded database to disk: disk full");
        });

        assertThatThrownBy(() -> group.commit("only"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("could not sync the embedded database to disk: disk full");
    }

    @Test
    void shouldCommitOneAfterAnotherWhenSessionsComeOneAtATime() {
        GroupCommit<String> group = new GroupCommit<>(commits::add);

        group.commit("a");
        group.commit("b");

        assertThat(commits).containsExactly(List.of("a"), List.of("b"));
    }

    @Test
    void shouldNeverReportWorkAsCommittedWhenTheCommitCarryingItDiedOfAnError() throws Exception {
        CountDownLatch firstCommitStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstCommit = new CountDownLatch(1);
        GroupCommit<String> group = new GroupCommit<>(batch -> {
            if (batch.contains("first")) {
                firstCommitStarted.countDown();
                await(releaseFirstCommit);
                return;
            }
            throw new AssertionError("the database driver broke");
        });
        Future<?> first = sessions.submit(() -> group.commit("first"));
        firstCommitStarted.await();
        Future<?> b = sessions.submit(() -> group.commit("b"));
        Future<?> c = sessions.submit(() -> group.commit("c"));
        while (group.waiting() < 2) {
            Thread.onSpinWait();
        }

        releaseFirstCommit.countDown();
        first.get();

        List<Class<?>> failures = new ArrayList<>();
        for (Future<?> f : List.of(b, c)) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                failures.add(e.getCause().getClass());
            }
        }
        assertThat(failures).containsExactlyInAnyOrder(AssertionError.class, IllegalStateException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
